package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"pulumi-dcos-vnet/tools/pulumi-cli/internal/nodestart"
)

// exitCodeAlreadyReported is what the SDK's run script exits with after it printed a user-facing
// error itself; the engine should then bail without printing a second message.
const exitCodeAlreadyReported = 32

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	nodeBin       string
	engineAddress string
	// Done when programs and plugins must stop: the host is shutting down (signal, engine gone)
	// or the engine sent Cancel. Every child's context derives from it.
	stopping context.Context
	cancel   context.CancelFunc
}

func newHost(ctx context.Context, nodeBin, engineAddress string) *nodeHost {
	stopping, cancel := context.WithCancel(ctx)
	return &nodeHost{nodeBin: nodeBin, engineAddress: engineAddress, stopping: stopping, cancel: cancel}
}

func findNode() (string, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return "", fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	return nodeBin, nil
}

// childContext is done when the host stops, or when the RPC that started the child ends (the
// engine hung up or cancelled the call): a child never outlives the request it serves.
func (h *nodeHost) childContext(rpc context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(h.stopping)
	stop := context.AfterFunc(rpc, cancel)
	return ctx, func() { stop(); cancel() }
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// Cancel is the engine asking running programs to stop (before it shuts the host down): each gets
// SIGINT, then SIGKILL if it is still there after lifecycle.StopGrace. As with Pulumi's host, a
// cancelled host starts nothing more.
func (h *nodeHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *nodeHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command(h.nodeBin, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: h.nodeBin, Version: strings.TrimSpace(string(out))}, nil
}

// InstallDependencies runs `npm install` in the program directory (used by `pulumi install`, and
// by `pulumi policy new`/`publish` for a policy pack).
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	cmd := exec.CommandContext(stream.Context(), "npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if sendErr := stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: out}); sendErr != nil {
		return sendErr
	}
	return err
}

// resolve finds a module the way the program's own require would, from dir.
func (h *nodeHost) resolve(dir, module string) (string, error) {
	found, err := nodestart.Resolve(h.nodeBin, dir, module)
	if err != nil {
		return "", fmt.Errorf("it looks like the Pulumi SDK has not been installed in %s (no %s); have you run npm install?",
			dir, module)
	}
	return found, nil
}
