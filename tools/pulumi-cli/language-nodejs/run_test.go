// Run through the host's gRPC service, with real Node.js programs and the repository's SDK.
package main

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// secretSig is how the engine's wire format marks a secret value.
const secretSig = "1b47061264138c4ac30d75fd1eb44270"

func TestRunPassesConfigAndSecretsToTheProgram(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	req := runRequest(t, e, "outputs", nil)
	req.Config = map[string]string{"test:name": "world", "test:token": "s3cret"}
	req.ConfigSecretKeys = []string{"test:token"}

	resp, err := h.client.Run(context.Background(), req)
	if err != nil || resp.GetError() != "" || resp.GetBail() {
		t.Fatalf("Run: err=%v resp=%v\nengine log: %s\nhost stderr: %s", err, resp, e.log(), h.stderr)
	}
	out := e.outputs()
	if out["greeting"] != "hello world" || out["answer"] != float64(42) {
		t.Fatalf("stack outputs: %v", out)
	}
	token, ok := out["token"].(map[string]any)
	if !ok || token["value"] != "s3cret" || token["4dabf18193072939515e22adb298388d"] != secretSig {
		t.Fatalf("the secret config value did not reach the engine as a secret: %#v", out["token"])
	}
}

func TestRunOfAStackWithoutConfigSucceeds(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	resp, err := h.client.Run(context.Background(), runRequest(t, e, "nodeargs", nil))
	if err != nil || resp.GetError() != "" {
		t.Fatalf("Run: err=%v resp=%v\nhost stderr: %s", err, resp, h.stderr)
	}
}

func TestRunReportsTheProgramsExitCode(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	resp, err := h.client.Run(context.Background(), runRequest(t, e, "exit3", nil))
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetError() != "Program exited with non-zero exit code: 3" || resp.GetBail() {
		t.Fatalf("resp=%v", resp)
	}
}

func TestRunBailsWhenTheSDKReportedTheError(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	resp, err := h.client.Run(context.Background(), runRequest(t, e, "reported", nil))
	if err != nil {
		t.Fatal(err)
	}
	if !resp.GetBail() || resp.GetError() != "" {
		t.Fatalf("expected Bail (exit 32: the error was already reported), got %v", resp)
	}
}

func TestNodeargsAreSplitByShellWordRules(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	req := runRequest(t, e, "nodeargs", map[string]any{"nodeargs": `--require "./pre load.js" --title='dcos vnet test'`})
	resp, err := h.client.Run(context.Background(), req)
	if err != nil || resp.GetError() != "" {
		t.Fatalf("Run: err=%v resp=%v\nhost stderr: %s", err, resp, h.stderr)
	}
	if out := e.outputs(); out["preloaded"] != "yes" || out["title"] != "dcos vnet test" {
		t.Fatalf("node did not get the two quoted arguments as single words: %v", out)
	}
}

func TestSplitNodeArgs(t *testing.T) {
	cases := map[string][]string{
		``:                                    nil,
		`--inspect`:                           {"--inspect"},
		`--require "./a b.js"  --no-warnings`: {"--require", "./a b.js", "--no-warnings"},
		`--title='x y' a\ b`:                  {"--title=x y", "a b"},
	}
	for in, want := range cases {
		got, err := splitNodeArgs(in)
		if err != nil || strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("splitNodeArgs(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := splitNodeArgs(`--require "unterminated`); err == nil {
		t.Error("an unterminated quote must be refused")
	}
}

func TestWrongRuntimeOptionTypesAreNamed(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	resp, err := h.client.Run(context.Background(), runRequest(t, e, "nodeargs", map[string]any{"nodeargs": 3.0}))
	if err != nil || resp.GetError() != "runtime option nodeargs must be a string" {
		t.Fatalf("err=%v resp=%v", err, resp)
	}
}

// startForever runs the forever program and returns once it runs, with its pid and a channel
// that receives Run's response.
func startForever(t *testing.T, e *fakeEngine, h *hostProcess) (dir string, pid int, done chan *pulumirpc.RunResponse) {
	t.Helper()
	dir = t.TempDir()
	req := runRequest(t, e, "forever", nil)
	req.Config = map[string]string{"test:dir": dir}
	done = make(chan *pulumirpc.RunResponse, 1)
	go func() {
		resp, err := h.client.Run(context.Background(), req)
		if err != nil {
			resp = &pulumirpc.RunResponse{Error: "rpc: " + err.Error()}
		}
		done <- resp
	}()
	started := waitFile(t, filepath.Join(dir, "started"), 30*time.Second)
	pid = atoi(t, started)
	t.Cleanup(func() {
		if pidAlive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL) // a failed test must not leave it running
		}
	})
	return dir, pid, done
}

func TestCancelStopsTheProgramWithSIGINT(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	dir, pid, done := startForever(t, e, h)

	if _, err := h.client.Cancel(context.Background(), &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	select {
	case resp := <-done:
		if !strings.Contains(resp.GetError(), "stopped") {
			t.Fatalf("Run after Cancel: %v", resp)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5 s of Cancel")
	}
	if got := waitFile(t, filepath.Join(dir, "stopped"), time.Second); got != "SIGINT" {
		t.Fatalf("the program was not stopped with SIGINT: %q", got)
	}
	if pidAlive(pid) {
		t.Fatalf("program %d still runs", pid)
	}
}

func TestSIGINTStopsTheProgramAndTheHost(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	dir, pid, _ := startForever(t, e, h)

	if err := h.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if !h.waitExit(5 * time.Second) {
		t.Fatal("the host did not exit within 5 s of SIGINT")
	}
	if got := waitFile(t, filepath.Join(dir, "stopped"), time.Second); got != "SIGINT" {
		t.Fatalf("the program was not stopped with SIGINT: %q", got)
	}
	if pidAlive(pid) {
		t.Fatalf("program %d outlived the host", pid)
	}
}

func TestHostExitsWhenTheEngineGoesAway(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	_, pid, _ := startForever(t, e, h)

	e.crash()
	start := time.Now()
	if !h.waitExit(5 * time.Second) {
		t.Fatalf("the host still runs 5 s after the engine went away; stderr: %s", h.stderr)
	}
	for pidAlive(pid) && time.Since(start) < 5*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	if pidAlive(pid) {
		t.Fatalf("program %d still runs 5 s after the engine went away", pid)
	}
	t.Logf("host and program gone %v after the engine", time.Since(start).Round(100*time.Millisecond))
}

func TestIdleHostExitsWhenTheEngineGoesAway(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	e.crash()
	if !h.waitExit(5 * time.Second) {
		t.Fatal("an idle host still runs 5 s after the engine went away")
	}
}

func TestGetPluginInfoAndVersionFlag(t *testing.T) {
	e := startEngine(t)
	h := startHost(t, e.addr)
	info, err := h.client.GetPluginInfo(context.Background(), &emptypb.Empty{})
	if err != nil || info.GetVersion() != "v0.0.0-test" {
		t.Fatalf("GetPluginInfo: %v %v", info, err)
	}
	out, err := commandOutput(hostBin, "-version")
	if err != nil || strings.TrimSpace(out) != "v0.0.0-test" {
		t.Fatalf("-version printed %q (%v)", out, err)
	}
}
