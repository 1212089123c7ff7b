// The launcher started as the engine starts a dynamic provider, against a stand-in engine that
// only answers health checks: it serves (prints the provider's port) while the engine is there,
// and it and its Node.js provider are gone within 5 s of the engine going away.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pulumi-resource-pulumi-nodejs")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func healthOnlyEngine(t *testing.T) (addr string, crash func()) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, health.NewServer())
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String(), srv.Stop
}

// childrenOf lists the live processes whose parent is pid.
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var kids []int
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n))
		if err != nil {
			continue
		}
		f := strings.Fields(string(stat)[strings.LastIndex(string(stat), ")")+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) && f[0] != "Z" {
			kids = append(kids, n)
		}
	}
	return kids
}

func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	f := strings.Fields(string(stat)[strings.LastIndex(string(stat), ")")+1:])
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

func TestTheProviderStopsWhenTheEngineGoesAway(t *testing.T) {
	bin := build(t)
	addr, crash := healthOnlyEngine(t)
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	cmd := exec.Command(bin, addr)
	cmd.Dir = root // where @pulumi/pulumi is installed, as the engine runs providers from the project
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if _, convErr := strconv.Atoi(strings.TrimSpace(line)); err != nil || convErr != nil {
		t.Fatalf("the provider printed no port: %q %v", line, err)
	}
	kids := childrenOf(cmd.Process.Pid)
	if len(kids) != 1 {
		t.Fatalf("expected the Node.js provider as the launcher's one child, found %v", kids)
	}
	node := kids[0]
	t.Cleanup(func() {
		if alive(node) {
			_ = syscall.Kill(node, syscall.SIGKILL)
		}
	})

	crash()
	start := time.Now()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the launcher still runs 5 s after the engine went away")
	}
	for alive(node) && time.Since(start) < 5*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	if alive(node) {
		t.Fatalf("the Node.js provider %d still runs 5 s after the engine went away", node)
	}
	t.Logf("launcher and provider gone %v after the engine", time.Since(start).Round(100*time.Millisecond))
}
