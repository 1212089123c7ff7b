// Package nodestart holds what the toolchain's two Node.js launchers (the language host's Run and
// the dynamic-provider launcher) do before they start node: find the SDK's script, and the node
// arguments that make @pulumi/pulumi load faster.
//
// Every `pulumi up`, `preview`, `refresh` and `destroy` starts a provider, and `up` and `preview`
// a program too, so their start-up is paid hundreds of times per test run and on every command a
// user types.
package nodestart

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed lazyClosure.js
var lazyClosure []byte

// PreloadSwitch is the environment variable that turns the preload off (value "off").
const PreloadSwitch = "DCOS_VNET_NODE_PRELOAD"

// Resolve finds module (a path inside a package, such as "@pulumi/pulumi/cmd/run") from dir as
// node's require.resolve would, without starting node (about 0.07 s of CPU each time) in the
// common case: the package in a node_modules folder at or above dir, with no "exports" map, and
// the module a file or a folder with an index.js. Anything else is asked of node itself, so the
// answer is node's whenever this is unsure (NODE_PATH, global folders, "exports", "main").
func Resolve(nodeBin, dir, module string) (string, error) {
	if found, ok := resolveCommonCase(dir, module); ok {
		return found, nil
	}
	return resolveWithNode(nodeBin, dir, module)
}

func resolveCommonCase(dir, module string) (string, bool) {
	pkg, ok := packageName(module)
	if !ok {
		return "", false
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for d := abs; ; d = filepath.Dir(d) {
		if filepath.Base(d) != "node_modules" {
			base := filepath.Join(d, "node_modules")
			if manifest, err := os.ReadFile(filepath.Join(base, pkg, "package.json")); err == nil {
				if hasExports(manifest) {
					return "", false
				}
				if found, ok := fileOrIndex(filepath.Join(base, module)); ok {
					real, err := filepath.EvalSymlinks(found)
					return real, err == nil
				}
				// Not in this copy of the package: node would go on to the folders above, or
				// fail with its own words. Leave both to node.
				return "", false
			}
		}
		if d == filepath.Dir(d) {
			return "", false
		}
	}
}

// packageName: "@scope/name" or "name", the start of a bare module path.
func packageName(module string) (string, bool) {
	if module == "" || strings.HasPrefix(module, ".") || filepath.IsAbs(module) {
		return "", false
	}
	parts := strings.Split(module, "/")
	if strings.HasPrefix(module, "@") {
		if len(parts) < 2 {
			return "", false
		}
		return parts[0] + "/" + parts[1], true
	}
	return parts[0], true
}

func hasExports(manifest []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(manifest, &m) != nil {
		return true // unreadable: let node decide
	}
	_, ok := m["exports"]
	return ok
}

// fileOrIndex: node's LOAD_AS_FILE (X, X.js) then LOAD_AS_DIRECTORY (X/index.js) for a folder
// without a package.json of its own (with one, "main" decides: node's call).
func fileOrIndex(x string) (string, bool) {
	for _, candidate := range []string{x, x + ".js"} {
		if info, err := os.Stat(candidate); err == nil && info.Mode().IsRegular() {
			return candidate, true
		}
	}
	if _, err := os.Stat(filepath.Join(x, "package.json")); err == nil {
		return "", false
	}
	index := filepath.Join(x, "index.js")
	if info, err := os.Stat(index); err == nil && info.Mode().IsRegular() {
		return index, true
	}
	return "", false
}

func resolveWithNode(nodeBin, dir, module string) (string, error) {
	cmd := exec.Command(nodeBin, "-e", fmt.Sprintf("console.log(require.resolve(%q))", module))
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// PreloadArgs are node arguments that defer @pulumi/pulumi's two slowest dependencies to their
// first use (lazyClosure.js says which and why): `--require` of the preload, written once beside
// this executable (or in the temporary folder when that one is read-only), named by its content
// so that a rebuilt toolchain never runs an older copy. If it cannot be written anywhere, none:
// node then starts as it always did, only slower.
//
// DCOS_VNET_NODE_PRELOAD=off leaves it out: an escape hatch, and what `npm run bench -- startup`
// compares against.
func PreloadArgs() []string {
	if os.Getenv(PreloadSwitch) == "off" {
		return nil
	}
	sum := sha256.Sum256(lazyClosure)
	name := "pulumi-nodejs-lazy-closure-" + hex.EncodeToString(sum[:6]) + ".js"
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
	}
	dirs = append(dirs, os.TempDir())
	for _, d := range dirs {
		if path, err := ensureFile(filepath.Join(d, name), lazyClosure); err == nil {
			return []string{"--require", path}
		}
	}
	return nil
}

// ensureFile writes content to path unless it is there already, through a temporary file and a
// rename, so that a process starting at the same moment never reads half of it.
func ensureFile(path string, content []byte) (string, error) {
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, content) {
		return path, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lazy-closure-*")
	if err != nil {
		return "", err
	}
	_, writeErr := tmp.Write(content)
	closeErr := tmp.Close()
	if err := errors.Join(writeErr, closeErr); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return path, nil
}
