// pulumi-resource-pulumi-nodejs, written for this project: starts the Node.js dynamic provider
// (`@pulumi/pulumi/cmd/dynamic-provider`, what the SDK's own shim script of this name runs) and
// stops it when the engine goes away.
//
// Why it exists: the engine starts one dynamic-provider process per provider instance, and the
// SDK's provider serves gRPC until it is told to stop. A CLI killed with SIGKILL tells it nothing,
// so it would run on, orphaned, for ever. This launcher watches the engine's health service (the
// engine address is the provider's first argument) and interrupts the provider once the engine is
// gone, as the language host does for programs (internal/lifecycle). It also starts node with
// less work than the shim (internal/nodestart): no node run to find the script, and
// @pulumi/pulumi's closure-serialisation dependencies loaded only if used.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

	"pulumi-dcos-vnet/tools/pulumi-cli/internal/lifecycle"
	"pulumi-dcos-vnet/tools/pulumi-cli/internal/nodestart"
)

const providerModule = "@pulumi/pulumi/cmd/dynamic-provider"

func main() {
	args := os.Args[1:]
	engineAddress := ""
	if len(args) > 0 {
		engineAddress = args[0]
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fail(1, "could not find node on the $PATH: %v", err)
	}
	// From the engine's working directory (the project), as the SDK's shim resolves it: the
	// provider comes from the same @pulumi/pulumi as the program that declared the resources.
	wd, _ := os.Getwd()
	providerScript, err := nodestart.Resolve(nodeBin, wd, providerModule)
	if err != nil {
		fail(1, "cannot find %s from %s; have you run npm install?", providerModule, wd)
	}

	ctx, cancel, err := lifecycle.Context(engineAddress)
	if err != nil {
		fail(1, "could not start the engine health check: %v", err)
	}
	defer cancel()

	nodeArgs := append(nodestart.PreloadArgs(), providerScript)
	cmd := lifecycle.Command(ctx, nodeBin, append(nodeArgs, args...)...)
	// The provider prints its port on stdout for the engine: hand it our descriptors as they are.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		os.Exit(0) // stopped on purpose: the engine is gone or shut us down
	case errors.As(err, &exitErr):
		os.Exit(exitErr.ExitCode())
	default:
		fail(1, "could not run the dynamic provider: %v", err)
	}
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-resource-pulumi-nodejs: "+format+"\n", args...)
	os.Exit(code)
}
