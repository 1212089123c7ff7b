// The test harness: the host binary built once, a stand-in engine (the Engine and ResourceMonitor
// services the SDK's run script talks to, plus gRPC health, which the host watches), and helpers
// to start the host as the engine does and drive its LanguageRuntime service over gRPC.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

var (
	hostBin  string // the host under test, built by TestMain
	repoRoot string // where node_modules (with @pulumi/pulumi) is
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "language-nodejs-test-")
	if err != nil {
		panic(err)
	}
	hostBin = filepath.Join(dir, "pulumi-language-nodejs")
	build := exec.Command("go", "build", "-ldflags", "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v0.0.0-test", "-o", hostBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building the language host: %v\n", err)
		os.Exit(1)
	}
	repoRoot, _ = filepath.Abs(filepath.Join("..", "..", ".."))
	if _, err := os.Stat(filepath.Join(repoRoot, "node_modules", "@pulumi", "pulumi")); err != nil {
		fmt.Fprintf(os.Stderr, "these tests run real Node.js programs with the repository's @pulumi/pulumi: run npm run setup (%v)\n", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fakeEngine is the part of the Pulumi engine a program talks to: it records the stack's
// outputs and the log, and answers health checks until it is stopped.
type fakeEngine struct {
	addr   string
	srv    *grpc.Server
	mu     sync.Mutex
	logs   []string
	output *structpb.Struct
	root   string
}

func startEngine(t *testing.T) *fakeEngine {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &fakeEngine{addr: lis.Addr().String(), srv: grpc.NewServer()}
	pulumirpc.RegisterEngineServer(e.srv, &engineService{e: e})
	pulumirpc.RegisterResourceMonitorServer(e.srv, &monitorService{e: e})
	healthpb.RegisterHealthServer(e.srv, health.NewServer())
	go func() { _ = e.srv.Serve(lis) }()
	t.Cleanup(e.srv.Stop)
	return e
}

// crash is the engine's process going away: listener and connections closed at once.
func (e *fakeEngine) crash() { e.srv.Stop() }

func (e *fakeEngine) outputs() map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.output == nil {
		return nil
	}
	return e.output.AsMap()
}

func (e *fakeEngine) log() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.logs, "\n")
}

type engineService struct {
	pulumirpc.UnimplementedEngineServer
	e *fakeEngine
}

func (s *engineService) Log(_ context.Context, req *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	s.e.logs = append(s.e.logs, fmt.Sprintf("%v: %s", req.GetSeverity(), req.GetMessage()))
	return &emptypb.Empty{}, nil
}

func (s *engineService) GetRootResource(context.Context, *pulumirpc.GetRootResourceRequest) (*pulumirpc.GetRootResourceResponse, error) {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	return &pulumirpc.GetRootResourceResponse{Urn: s.e.root}, nil
}

func (s *engineService) SetRootResource(_ context.Context, req *pulumirpc.SetRootResourceRequest) (*pulumirpc.SetRootResourceResponse, error) {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	s.e.root = req.GetUrn()
	return &pulumirpc.SetRootResourceResponse{}, nil
}

type monitorService struct {
	pulumirpc.UnimplementedResourceMonitorServer
	e *fakeEngine
}

// SupportsFeature: secrets only, so outputs arrive as plain values or secret envelopes.
func (s *monitorService) SupportsFeature(_ context.Context, req *pulumirpc.SupportsFeatureRequest) (*pulumirpc.SupportsFeatureResponse, error) {
	return &pulumirpc.SupportsFeatureResponse{HasSupport: req.GetId() == "secrets"}, nil
}

func (s *monitorService) RegisterResource(_ context.Context, req *pulumirpc.RegisterResourceRequest) (*pulumirpc.RegisterResourceResponse, error) {
	urn := fmt.Sprintf("urn:pulumi:test::test::%s::%s", req.GetType(), req.GetName())
	return &pulumirpc.RegisterResourceResponse{Urn: urn, Object: &structpb.Struct{}}, nil
}

func (s *monitorService) RegisterResourceOutputs(_ context.Context, req *pulumirpc.RegisterResourceOutputsRequest) (*emptypb.Empty, error) {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	s.e.output = req.GetOutputs()
	return &emptypb.Empty{}, nil
}

func (s *monitorService) SignalAndWaitForShutdown(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// hostProcess is the language host started as the engine starts it: the engine's address as its
// argument, its port read from the first line of its stdout.
type hostProcess struct {
	cmd    *exec.Cmd
	client pulumirpc.LanguageRuntimeClient
	stderr *bytes.Buffer
	exited chan struct{}
}

func startHost(t *testing.T, engineAddress string) *hostProcess {
	t.Helper()
	cmd := exec.Command(hostBin, engineAddress)
	// In a process group of its own, as the engine starts plugins: the cleanup kills the group,
	// so a failed test leaves none of the host's children behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	h := &hostProcess{cmd: cmd, stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	cmd.Stderr = &lockedBuffer{b: h.stderr}
	// A program the host left behind would hold stderr open and keep Wait from returning.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("the host printed no port: %v; stderr: %s", err, h.stderr)
	}
	go func() { _ = cmd.Wait(); close(h.exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-h.exited
	})
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("the host's first line is not a port: %q", line)
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	h.client = pulumirpc.NewLanguageRuntimeClient(conn)
	return h
}

// waitExit reports whether the host process exited within d.
func (h *hostProcess) waitExit(d time.Duration) bool {
	select {
	case <-h.exited:
		return true
	case <-time.After(d):
		return false
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// program is a test program in testdata/programs/<name>; it finds @pulumi/pulumi in the
// repository's node_modules by Node's usual walk up the directories.
func program(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "programs", name))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runRequest runs program `name` as stack test/dev with JavaScript (no ts-node), plus `options`.
func runRequest(t *testing.T, e *fakeEngine, name string, options map[string]any) *pulumirpc.RunRequest {
	t.Helper()
	dir := program(t, name)
	opts := map[string]any{"typescript": false}
	for k, v := range options {
		opts[k] = v
	}
	s, err := structpb.NewStruct(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunRequest{
		MonitorAddress: e.addr,
		Project:        "test",
		Stack:          "dev",
		Pwd:            dir,
		Info:           &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: ".", Options: s},
	}
}

// pidAlive: the process exists and is not a zombie.
func pidAlive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndex(s, ")")+1:])
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}

// waitFile waits until path exists with content, and returns it.
func waitFile(t *testing.T, path string, d time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not appear within %v", path, d)
	return ""
}

// childrenRunning lists the live children of pid whose command line contains `what`.
func childrenRunning(pid int, what string) []int {
	entries, _ := os.ReadDir("/proc")
	var found []int
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil || !pidAlive(n) {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n))
		cmdline, err2 := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", n))
		if err != nil || err2 != nil {
			continue
		}
		f := strings.Fields(string(stat)[strings.LastIndex(string(stat), ")")+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) && strings.Contains(string(cmdline), what) {
			found = append(found, n)
		}
	}
	return found
}
