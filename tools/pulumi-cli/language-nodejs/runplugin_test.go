// RunPlugin through the host's gRPC service: the repository's own policy pack (policy/), started
// as `pulumi preview --policy-pack` starts it, and a plugin that fails.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// pluginOutput collects a RunPlugin stream: stdout lines as they come, stderr, the exit code.
type pluginOutput struct {
	stdout   *io.PipeReader
	stderr   strings.Builder
	exitCode chan int32 // -1 when the stream ended without one
}

func runPlugin(t *testing.T, ctx context.Context, h *hostProcess, req *pulumirpc.RunPluginRequest) *pluginOutput {
	t.Helper()
	stream, err := h.client.RunPlugin(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	r, w := io.Pipe()
	out := &pluginOutput{stdout: r, exitCode: make(chan int32, 1)}
	go func() {
		defer w.Close()
		for {
			msg, err := stream.Recv()
			if err != nil {
				out.exitCode <- -1
				return
			}
			switch o := msg.Output.(type) {
			case *pulumirpc.RunPluginResponse_Stdout:
				_, _ = w.Write(o.Stdout)
			case *pulumirpc.RunPluginResponse_Stderr:
				out.stderr.WriteString(string(o.Stderr))
			case *pulumirpc.RunPluginResponse_Exitcode:
				out.exitCode <- o.Exitcode
				return
			}
		}
	}()
	return out
}

func policyPackDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(repoRoot, "policy")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@pulumi", "policy")); err != nil {
		t.Fatalf("the policy pack's dependencies are not installed (run npm run setup): %v", err)
	}
	return dir
}

func TestRunPluginStartsAPolicyPackConfiguredForTheStack(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	dir := policyPackDir(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	opts, _ := structpb.NewStruct(map[string]any{})
	out := runPlugin(t, ctx, h, &pulumirpc.RunPluginRequest{
		Pwd:  t.TempDir(),
		Args: []string{e.addr},
		Env:  os.Environ(),
		Kind: "analyzer",
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: ".", Options: opts},
	})

	// As the engine does: the port on the first stdout line, then Handshake and ConfigureStack
	// (answered by the host's policy proxy), then the pack itself answers.
	lines := bufio.NewReader(out.stdout)
	line, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("no port from the policy pack: %v; stderr: %s", err, out.stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, lines) }()
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("first line is not a port: %q", line)
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	analyzer := pulumirpc.NewAnalyzerClient(conn)
	if _, err := analyzer.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: e.addr, RootDirectory: &dir, ProgramDirectory: &dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := analyzer.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Stack: "live", Project: "dcos-vnet", Organization: "organization", DryRun: true,
		Tags: map[string]string{"env": "prod"}, Config: map[string]string{"dcos-vnet:cluster": "{}"},
	}); err != nil {
		t.Fatal(err)
	}
	infoCtx, cancelInfo := context.WithTimeout(ctx, 2*time.Minute) // ts-node type-checks the pack first
	defer cancelInfo()
	info, err := analyzer.GetAnalyzerInfo(infoCtx, &emptypb.Empty{})
	if err != nil {
		t.Fatalf("GetAnalyzerInfo: %v; stderr: %s", err, out.stderr.String())
	}
	var names []string
	for _, p := range info.GetPolicies() {
		names = append(names, p.GetName())
	}
	if info.GetName() != "dcos-vnet" || !strings.Contains(strings.Join(names, " "), "dcos-prod-app-min-instances") {
		t.Fatalf("policy pack %q with policies %v", info.GetName(), names)
	}

	// A one-instance app: the prod rule applies only if the pack learnt the stack and its tags.
	app, _ := structpb.NewStruct(map[string]any{"app": map[string]any{"id": "/web", "instances": 1.0, "cmd": "sleep 1"}})
	resp, err := analyzer.Analyze(ctx, &pulumirpc.AnalyzeRequest{
		Urn: "urn:pulumi:live::dcos-vnet::pulumi-nodejs:dynamic/dcos:MarathonApp::web", Type: "pulumi-nodejs:dynamic/dcos:MarathonApp",
		Name: "web", Properties: app, Options: &pulumirpc.AnalyzerResourceOptions{},
	})
	if err != nil {
		t.Fatal(err)
	}
	var messages []string
	for _, d := range resp.GetDiagnostics() {
		messages = append(messages, d.GetMessage())
	}
	all := strings.Join(messages, "\n")
	if !strings.Contains(all, "of prod stack live (tagged env=prod): app.instances is 1") {
		t.Fatalf("the pack did not see the stack as prod: %q", all)
	}

	// The engine shuts the host down (SIGINT) with the pack still running: the pack is stopped,
	// and gone before the host exits.
	packs := childrenRunning(h.cmd.Process.Pid, "run-policy-pack")
	if len(packs) != 1 {
		t.Fatalf("expected one policy pack process under the host, found %v", packs)
	}
	if err := h.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if !h.waitExit(5 * time.Second) {
		t.Fatal("the host did not exit within 5 s of SIGINT")
	}
	if pidAlive(packs[0]) {
		t.Fatalf("the host exited with the policy pack (%d) still running", packs[0])
	}
}

func TestRunPluginReportsAPluginsExitCode(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	dir, _ := filepath.Abs(filepath.Join("testdata", "plugins", "exit4"))
	opts, _ := structpb.NewStruct(map[string]any{})
	out := runPlugin(t, context.Background(), h, &pulumirpc.RunPluginRequest{
		Pwd: dir, Args: []string{e.addr}, Env: os.Environ(), Kind: "resource",
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: ".", Options: opts},
	})
	go func() { _, _ = io.Copy(io.Discard, out.stdout) }()
	select {
	case code := <-out.exitCode:
		if code != 4 {
			t.Fatalf("exit code %d, want 4; stderr: %s", code, out.stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("no exit code within 60 s")
	}
}
