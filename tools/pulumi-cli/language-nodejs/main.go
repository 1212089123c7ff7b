// pulumi-language-nodejs, written for this project: the Node.js language host the Pulumi engine
// launches to run a TypeScript/JavaScript program, and Node.js plugins such as policy packs.
//
// Why it exists: Pulumi's own host lives in a Go module of its own
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) that the Go module proxy
// reachable from this workplace does not serve at any release, while the CLI (pkg/v3) and the SDK
// (sdk/v3, which carries the gRPC contract) are served. scripts/setup.sh uses Pulumi's host
// instead whenever one at the SDK's version or newer is on PATH.
//
// The host's job is small: answer the LanguageRuntime gRPC service and start the SDK's scripts
// with the arguments and environment they document: `@pulumi/pulumi/cmd/run` for a program (Run),
// `cmd/run-policy-pack` or `cmd/run-plugin` for a plugin (RunPlugin). Those scripts do the real
// work (ts-node, the resource monitor connection, closure serialisation). What the engine can do
// without (code generation, packing, templates, dependency listing) stays unimplemented; the
// engine treats codes.Unimplemented as "not supported by this host".
//
// Files: main.go (start, stop), host.go (small RPCs, Cancel), run.go (Run), runplugin.go
// (RunPlugin), options.go (Pulumi.yaml runtime options), plugins.go (GetRequiredPlugins).
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"

	"pulumi-dcos-vnet/tools/pulumi-cli/internal/lifecycle"
)

func main() {
	// The engine passes the engine address as the last positional argument, after flags (older
	// engines passed -tracing, -root …). Flags we do not use are ignored rather than rejected so
	// that a newer engine does not break this host.
	engineAddress := ""
	for _, arg := range os.Args[1:] {
		switch {
		case arg == "-version" || arg == "--version":
			// What setup.sh asks a language host on PATH, as Pulumi's own host answers it.
			fmt.Println(version.Version)
			return
		case !strings.HasPrefix(arg, "-"):
			engineAddress = arg
		}
	}

	nodeBin, err := findNode()
	if err != nil {
		fail("%v", err)
	}

	// Done on SIGINT/SIGTERM (the engine's normal shutdown) or when the engine stops answering
	// (a CLI killed with SIGKILL): running programs are then interrupted and the host exits.
	ctx, cancel, err := lifecycle.Context(engineAddress)
	if err != nil {
		fail("could not start the engine health check: %v", err)
	}
	defer cancel()
	lifecycle.ExitAfterDeadline(ctx, 1)

	host := newHost(ctx, nodeBin, engineAddress)
	stopServing := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stopServing) // GracefulStop: waits for Run/RunPlugin, whose children are stopping too
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stopServing,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fail("could not start language host RPC server: %v", err)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail("language host RPC stopped serving: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	os.Exit(1)
}
