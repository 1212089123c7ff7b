// Package lifecycle is how this project's Pulumi plugins (the Node.js language host and the
// dynamic-provider launcher) live and die with the engine that started them.
//
// The engine starts each plugin in a process group of its own and, when it shuts down normally,
// sends that group SIGINT and, 5 s later, SIGKILL. A CLI killed with SIGKILL does neither: its
// plugins and their Node.js children would run on, orphaned. So every plugin here also asks the
// engine's gRPC health service whether it is still there, and stops when it is not.
package lifecycle

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
)

const (
	// HealthInterval is how often the engine is asked whether it is alive. Pulumi's own host asks
	// every 5 minutes; once a second keeps "nothing of ours outlives a killed CLI by more than a
	// few seconds" true at the cost of one local RPC per second.
	HealthInterval = time.Second
	// StopGrace is how long a child has to stop after SIGINT before it is killed.
	StopGrace = 2 * time.Second
	// ExitDeadline bounds the whole shutdown: after it, the plugin exits whatever is still running
	// (by then every child has been killed at StopGrace).
	ExitDeadline = StopGrace + time.Second
)

// Context is done on SIGINT or SIGTERM, or once the engine at engineAddress stops answering its
// health check (an empty address: no check, as when a test or a debugger starts the plugin).
func Context(engineAddress string) (context.Context, context.CancelFunc, error) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if engineAddress != "" {
		// Any answer but Unimplemented that is not OK (connection refused once the engine's
		// process is gone) cancels ctx.
		if err := rpcutil.Healthcheck(ctx, engineAddress, HealthInterval, cancel); err != nil {
			cancel()
			return nil, nil, err
		}
	}
	return ctx, cancel, nil
}

// Command is exec.CommandContext with a graceful cancellation: when ctx is done the child gets
// SIGINT (Node.js exits on it unless the program handles it), and SIGKILL StopGrace later.
func Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = StopGrace
	return cmd
}

// AwaitGone waits until process pid has been stopped by a Command's cancellation and reaped by
// whoever waits for it (StopGrace and a little more), then kills it should it still be there.
func AwaitGone(pid int) {
	deadline := time.Now().Add(StopGrace + 500*time.Millisecond)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			return // no such process: gone and reaped
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}

// ExitAfterDeadline makes the process exit with `code` ExitDeadline after ctx is done, should a
// stuck RPC keep the server from stopping.
func ExitAfterDeadline(ctx context.Context, code int) {
	go func() {
		<-ctx.Done()
		time.Sleep(ExitDeadline)
		os.Exit(code)
	}()
}
