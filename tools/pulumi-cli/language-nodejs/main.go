// pulumi-language-nodejs, written for this project: the Node.js language host the Pulumi engine
// launches to run a TypeScript/JavaScript program.
//
// Why it exists: Pulumi's own host lives in a Go module of its own
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) that the Go module proxy
// reachable from this workplace does not serve at any release, while the CLI (pkg/v3) and the SDK
// (sdk/v3, which carries the gRPC contract) are served. The host's job is small: answer the
// LanguageRuntime gRPC service and, for Run, start `node @pulumi/pulumi/cmd/run` with the
// arguments and environment that script documents (see its usage() in the npm package). The SDK
// script does all the real work (ts-node, the resource monitor connection, closure serialisation).
// Methods the engine can do without (code generation, packing, templates) stay unimplemented;
// the engine treats codes.Unimplemented as "not supported by this host".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitCodeAlreadyReported is what the SDK's run script exits with after it printed a user-facing
// error itself; the engine should then bail without printing a second message.
const exitCodeAlreadyReported = 32

func main() {
	// The engine passes flags (e.g. -tracing, -root) and then the engine address as the last
	// positional argument. Flags we do not use are ignored rather than rejected so that a newer
	// engine does not break this host.
	engineAddress := ""
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engineAddress = arg
		}
	}

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fail("could not find node on the $PATH: %v", err)
	}

	host := &nodeHost{nodeBin: nodeBin, engineAddress: engineAddress}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
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

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	nodeBin       string
	engineAddress string
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins reports the resource plugins of the npm packages the program installed
// (packages whose package.json says `"pulumi": {"resource": true}`), as Pulumi's host does.
func (h *nodeHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	plugins, err := resourcePluginsIn(filepath.Join(dir, "node_modules"))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
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

// InstallDependencies runs `npm install` in the program directory (used by `pulumi install`).
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if sendErr := stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: out}); sendErr != nil {
		return sendErr
	}
	return err
}

// Run starts the SDK's run script on the program and waits for it.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
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
	runScript, err := h.resolve(programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return nil, errors.New(
			"it looks like the Pulumi SDK has not been installed; have you run npm install?")
	}

	options := info.GetOptions().AsMap()
	args := nodeArgs(options)
	args = append(args, runScript)
	addFlag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	addFlag("monitor", req.GetMonitorAddress())
	addFlag("engine", h.engineAddress)
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
	args = append(args, req.GetArgs()...)

	env, err := runEnvironment(req, options, info.GetRootDirectory())
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, h.nodeBin, args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitCodeAlreadyReported {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// runEnvironment passes config, secret keys and TypeScript options the way the SDK reads them.
func runEnvironment(req *pulumirpc.RunRequest, options map[string]any, rootDir string) ([]string, error) {
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
	typescript := true
	if v, ok := options["typescript"].(bool); ok {
		typescript = v
	}
	env = append(env, fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", typescript))
	if v, ok := options["tsconfig"].(string); ok && v != "" {
		// Relative to the project root, where Pulumi.yaml names it.
		if !filepath.IsAbs(v) && rootDir != "" {
			v = filepath.Join(rootDir, v)
		}
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}
	return env, nil
}

// nodeArgs reads the runtime option `nodeargs` (Pulumi.yaml runtime.options.nodeargs).
func nodeArgs(options map[string]any) []string {
	if v, ok := options["nodeargs"].(string); ok && v != "" {
		return strings.Fields(v)
	}
	return nil
}

func (h *nodeHost) resolve(dir, module string) (string, error) {
	cmd := exec.Command(h.nodeBin, "-e", fmt.Sprintf("console.log(require.resolve(%q))", module))
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// resourcePluginsIn walks node_modules (scoped packages one level deeper) for resource plugins.
func resourcePluginsIn(nodeModules string) ([]*pulumirpc.PluginDependency, error) {
	var plugins []*pulumirpc.PluginDependency
	entries, err := os.ReadDir(nodeModules)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	for _, entry := range entries {
		dir := filepath.Join(nodeModules, entry.Name())
		if strings.HasPrefix(entry.Name(), "@") {
			scoped, err := resourcePluginsIn(dir)
			if err != nil {
				return nil, err
			}
			plugins = append(plugins, scoped...)
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			continue // not a package (e.g. .bin)
		}
		var pkg packageJSON
		if json.Unmarshal(raw, &pkg) != nil || !pkg.Pulumi.Resource {
			continue
		}
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name:    pluginName(pkg),
			Kind:    "resource",
			Version: "v" + strings.TrimPrefix(firstNonEmpty(pkg.Pulumi.Version, pkg.Version), "v"),
			Server:  pkg.Pulumi.Server,
		})
	}
	return plugins, nil
}

func pluginName(pkg packageJSON) string {
	if pkg.Pulumi.Name != "" {
		return pkg.Pulumi.Name
	}
	return strings.TrimPrefix(strings.TrimPrefix(pkg.Name, "@pulumi/"), "@")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
