package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-dcos-vnet/tools/pulumi-cli/internal/lifecycle"
	"pulumi-dcos-vnet/tools/pulumi-cli/internal/nodestart"
)

// Run starts the SDK's run script on the program and waits for it. The program is interrupted
// (SIGINT, then SIGKILL after lifecycle.StopGrace) on Cancel, on SIGINT/SIGTERM to the host, when
// the engine goes away, or when the engine abandons this call.
func (h *nodeHost) Run(rpc context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	// The program runs from the project root (where Pulumi.yaml is), as with Pulumi's own host, so
	// relative paths in a program and the `tsconfig` option mean the same wherever `main` points.
	pwd := req.GetPwd()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = pwd
	}
	if pwd == "" {
		pwd = programDir
	}
	opts, err := parseOptions(info.GetOptions().AsMap(), info.GetRootDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runScript, err := h.resolve(programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return nil, err
	}
	env, err := runEnvironment(req, opts)
	if err != nil {
		return nil, err
	}

	ctx, done := h.childContext(rpc)
	defer done()
	if ctx.Err() != nil {
		return &pulumirpc.RunResponse{Error: "the language host was cancelled before the program started"}, nil
	}
	// The preload first: the program's own nodeargs may require modules that load @pulumi/pulumi.
	args := append(nodestart.PreloadArgs(), runArguments(req, opts, runScript, h.engineAddress, programDir, pwd)...)
	cmd := lifecycle.Command(ctx, h.nodeBin, args...)
	cmd.Dir = pwd
	cmd.Env = env
	// Through a pipe rather than the host's own descriptors: Node.js may switch the descriptors it
	// is given to non-blocking mode, which would then apply to the host's writes too.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	return runResponse(waitedFor(cmd, cmd.Run()), ctx), nil
}

// waitedFor: a program that exited 0 succeeded, even if something it started still held its
// output open when lifecycle.StopGrace ran out (exec reports that as ErrWaitDelay).
func waitedFor(cmd *exec.Cmd, err error) error {
	if errors.Is(err, exec.ErrWaitDelay) && cmd.ProcessState != nil && cmd.ProcessState.Success() {
		return nil
	}
	return err
}

// runArguments: node's own arguments, the run script, then the flags its usage() documents.
func runArguments(req *pulumirpc.RunRequest, opts runtimeOptions, runScript, engineAddress, programDir, pwd string) []string {
	info := req.GetInfo()
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runScript)
	addFlag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	addFlag("monitor", req.GetMonitorAddress())
	addFlag("engine", engineAddress)
	addFlag("organization", req.GetOrganization())
	addFlag("project", req.GetProject())
	addFlag("stack", req.GetStack())
	addFlag("pwd", pwd)
	addFlag("root-directory", info.GetRootDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	addFlag("parallel", fmt.Sprint(req.GetParallel()))
	// "." lets the run script find the entry point in package.json; anything else is a path
	// relative to the program directory.
	entryPoint := info.GetEntryPoint()
	if entryPoint == "" || entryPoint == "." {
		if programDir == pwd {
			entryPoint = "."
		} else {
			entryPoint = programDir
		}
	} else if !filepath.IsAbs(entryPoint) {
		entryPoint = filepath.Join(programDir, entryPoint)
	}
	args = append(args, entryPoint)
	return append(args, req.GetArgs()...)
}

// runResponse turns how the program ended into the engine's terms: nothing (success), Bail (the
// SDK already reported the error), or an error naming the exit code.
func runResponse(err error, ctx context.Context) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	if ctx.Err() != nil {
		// Whatever the program exited with (0 after handling SIGINT, or exec's own ctx error).
		return &pulumirpc.RunResponse{Error: "the program was stopped: the engine cancelled it or went away"}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == exitCodeAlreadyReported {
			return &pulumirpc.RunResponse{Bail: true}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}
}

// runEnvironment passes config, secret keys and TypeScript options the way the SDK reads them.
func runEnvironment(req *pulumirpc.RunRequest, opts runtimeOptions) ([]string, error) {
	// A stack with no config sends a nil map, which would marshal as "null"; the SDK's parseConfig
	// needs an object (a program reading config on a fresh stack failed with "Cannot convert
	// undefined or null to object"). Pulumi's host passes {} / [] here.
	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	keys := req.GetConfigSecretKeys()
	if keys == nil {
		keys = []string{}
	}
	secretKeys, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)
	return append(env, opts.environment()...), nil
}
