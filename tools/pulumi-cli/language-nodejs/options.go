package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/google/shlex"
)

// runtimeOptions are Pulumi.yaml's (or PulumiPolicy.yaml's) `runtime.options` for nodejs.
type runtimeOptions struct {
	// typescript: run .ts through ts-node (default true).
	typescript bool
	// tsconfig: the tsconfig.json ts-node uses, relative to the project root.
	tsconfig string
	// nodeargs: extra arguments to node itself, split by shell-word rules.
	nodeargs []string
}

// parseOptions reads the options as Pulumi's host does, and names the option that has the wrong
// type. `nodeargs` is split the way a shell would (quotes and backslashes group words), so
// `--require "./pre load.js"` is two arguments, not three.
func parseOptions(options map[string]any, rootDir string) (runtimeOptions, error) {
	opts := runtimeOptions{typescript: true}
	if v, ok := options["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("runtime option typescript must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := options["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("runtime option tsconfig must be a string")
		}
		if s != "" && !filepath.IsAbs(s) && rootDir != "" {
			s = filepath.Join(rootDir, s)
		}
		opts.tsconfig = s
	}
	if v, ok := options["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("runtime option nodeargs must be a string")
		}
		args, err := splitNodeArgs(s)
		if err != nil {
			return opts, err
		}
		opts.nodeargs = args
	}
	return opts, nil
}

// splitNodeArgs splits `nodeargs` by shell-word rules (github.com/google/shlex, as Pulumi's host).
func splitNodeArgs(s string) ([]string, error) {
	args, err := shlex.Split(s)
	if err != nil {
		return nil, fmt.Errorf("runtime option nodeargs %q: %w", s, err)
	}
	return args, nil
}

// environment is what the SDK's scripts read of these options.
func (o runtimeOptions) environment() []string {
	env := []string{fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", o.typescript)}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}
