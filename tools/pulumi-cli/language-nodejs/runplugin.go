package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-dcos-vnet/tools/pulumi-cli/internal/lifecycle"
	"pulumi-dcos-vnet/tools/pulumi-cli/internal/nodestart"
)

// analyzerKind is RunPluginRequest.Kind for a policy pack (apitype.AnalyzerPlugin).
const analyzerKind = "analyzer"

// RunPlugin runs a Node.js plugin the engine found as a directory (PulumiPolicy.yaml or
// PulumiPlugin.yaml) rather than a binary: for `pulumi preview --policy-pack DIR`, the policy
// pack. Its stdout and stderr stream back to the engine, which reads the plugin's gRPC port from
// the first line of stdout; the plugin runs until the engine ends this call (it is then
// interrupted like a program, see Run).
//
// Policy packs start as Pulumi's host starts them: `run-policy-pack <engine> <pack dir>` from the
// pack's directory, behind the SDK's PolicyProxy. The proxy answers the engine's Handshake and
// ConfigureStack itself, so the pack is started with the stack's organization, project, stack,
// dry-run flag and config in its environment (what `pulumi.getStack()` and `pulumi.Config` read
// in a policy), then forwards every other Analyzer call to it.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx, done := h.childContext(server.Context())
	defer done()
	streams := newPluginStreams(server)
	defer streams.close()
	var stdout, stderr io.Writer = streams.stdout(), streams.stderr()
	var err error

	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	opts, err := parseOptions(info.GetOptions().AsMap(), info.GetRootDirectory())
	if err != nil {
		return err
	}
	policyPack := req.GetKind() == analyzerKind
	script := "@pulumi/pulumi/cmd/run-plugin"
	if policyPack {
		script = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	scriptPath, err := h.resolve(dir, script)
	if err != nil {
		return err
	}
	// A policy pack loads @pulumi/pulumi too: the same preload as a program's (internal/nodestart).
	args := append(append(nodestart.PreloadArgs(), opts.nodeargs...), scriptPath)
	if policyPack {
		args = append(append(args, req.GetArgs()...), dir) // <engine-address> <program>
	} else {
		args = append(append(args, dir), req.GetArgs()...) // <program> [args]
	}
	env := append(append([]string{}, req.GetEnv()...), opts.environment()...)

	var proxy *sdk.PolicyProxy
	if policyPack {
		// The proxy prints its own port; the pack's stdout goes through it from then on.
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("the engine did not configure the policy pack: %w", err)
		}
		if env, err = withStackEnvironment(env, stack); err != nil {
			return err
		}
	}

	cmd := lifecycle.Command(ctx, h.nodeBin, args...)
	cmd.Dir = req.GetPwd()
	if policyPack {
		cmd.Dir = dir // policy packs have always run from their own directory
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node for the plugin in %s: %w", dir, err)
	}
	if proxy != nil {
		// Waits for the pack to exit, or returns as soon as ctx is done: then wait here for the
		// pack to be stopped, so that the call never ends with the plugin still running.
		err = proxy.Attach(ctx, cmd)
		if ctx.Err() != nil {
			lifecycle.AwaitGone(cmd.Process.Pid)
		}
	} else {
		err = cmd.Wait()
	}
	streams.close()
	return pluginExit(server, waitedFor(cmd, err), ctx.Err() != nil, dir)
}

// withStackEnvironment adds what the SDK's runtime reads for the stack a policy pack checks.
func withStackEnvironment(env []string, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return env, nil // e.g. `pulumi policy publish`: no stack
	}
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", stack.GetProject())
	add("PULUMI_NODEJS_STACK", stack.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
	if stack.GetConfig() != nil {
		config, err := json.Marshal(stack.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("could not pass the stack's config to the policy pack: %w", err)
		}
		add("PULUMI_CONFIG", string(config))
	}
	if keys := stack.GetConfigSecretKeys(); keys != nil {
		secretKeys, err := json.Marshal(keys)
		if err != nil {
			return nil, err
		}
		add("PULUMI_CONFIG_SECRET_KEYS", string(secretKeys))
	}
	return env, nil
}

// pluginExit ends the stream: nothing for exit 0 (the engine reads the end of the stream as exit
// code 0) or for a plugin stopped on purpose (the engine is done with it), the exit code for a
// plugin that failed, an error when it could not run at all (node missing, a pack that printed no
// port: its stderr, already streamed, says why).
func pluginExit(server pulumirpc.LanguageRuntime_RunPluginServer, err error, stopped bool, dir string) error {
	if err == nil || stopped {
		return nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return server.Send(&pulumirpc.RunPluginResponse{
			Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitErr.ExitCode())},
		})
	}
	return fmt.Errorf("the Node.js plugin in %s did not run: %w", dir, err)
}

// pluginStreams sends the plugin's output to the engine as RunPluginResponse messages. A gRPC
// stream takes one Send at a time, and exec copies stdout and stderr from two goroutines (the
// policy proxy from a third): sends are serialised. Output still arriving after the call ended
// (the proxy's copy of a stopping pack) is dropped rather than sent on a finished stream.
type pluginStreams struct {
	mu     sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	closed bool
}

func newPluginStreams(server pulumirpc.LanguageRuntime_RunPluginServer) *pluginStreams {
	return &pluginStreams{server: server}
}

func (s *pluginStreams) send(msg *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	return s.server.Send(msg)
}

func (s *pluginStreams) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
}

type streamWriter func([]byte) error

func (w streamWriter) Write(p []byte) (int, error) {
	// The message may be sent after Write returns: give it its own copy.
	if err := w(append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (s *pluginStreams) stdout() io.Writer {
	return streamWriter(func(b []byte) error {
		return s.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	})
}

func (s *pluginStreams) stderr() io.Writer {
	return streamWriter(func(b []byte) error {
		return s.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	})
}
