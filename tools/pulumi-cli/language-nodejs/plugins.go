package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

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
