// Resolve answers as node's require.resolve does, and the preload changes when @pulumi/pulumi's
// closure dependencies load, not what they do. Against the repository's own node_modules (npm
// run setup installs them) and the node on PATH.
package nodestart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var sdkScripts = []string{"@pulumi/pulumi/cmd/run", "@pulumi/pulumi/cmd/dynamic-provider"}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "@pulumi", "pulumi", "package.json")); err != nil {
		t.Fatalf("the repository's node_modules has no @pulumi/pulumi (run npm run setup): %v", err)
	}
	return root
}

func nodeBin(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH: %v", err)
	}
	return bin
}

func TestResolveFindsTheSDKScriptsAsNodeDoesWithoutStartingNode(t *testing.T) {
	root, node := repoRoot(t), nodeBin(t)
	for _, dir := range []string{root, filepath.Join(root, "stacks"), filepath.Join(root, "tools", "pulumi-cli")} {
		for _, module := range sdkScripts {
			got, ok := resolveCommonCase(dir, module)
			if !ok {
				t.Fatalf("from %s, %s: left to node, expected the common case", dir, module)
			}
			want, err := resolveWithNode(node, dir, module)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("from %s, %s: %s, node says %s", dir, module, got, want)
			}
		}
	}
}

func TestResolveGivesTheRealPathOfASymlinkedPackage(t *testing.T) {
	root, node := repoRoot(t), nodeBin(t)
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, "node_modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "node_modules", "@pulumi"), filepath.Join(project, "node_modules", "@pulumi")); err != nil {
		t.Fatal(err)
	}
	got, err := Resolve(node, project, sdkScripts[0])
	if err != nil {
		t.Fatal(err)
	}
	want, err := resolveWithNode(node, project, sdkScripts[0])
	if err != nil {
		t.Fatal(err)
	}
	if got != want || !strings.HasPrefix(got, root) {
		t.Errorf("resolved %s, node says %s (inside %s)", got, want, root)
	}
}

func TestResolveLeavesExportsMapsAndMissingFilesToNode(t *testing.T) {
	node := nodeBin(t)
	project := t.TempDir()
	pkg := filepath.Join(project, "node_modules", "withexports")
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(pkg, "package.json"), `{"name":"withexports","exports":{"./run":"./lib/run-impl.js"}}`)
	write(filepath.Join(pkg, "lib", "run-impl.js"), "")
	write(filepath.Join(pkg, "run.js"), "") // what a resolver ignoring "exports" would wrongly pick

	if _, ok := resolveCommonCase(project, "withexports/run"); ok {
		t.Fatal("a package with an exports map was resolved without node")
	}
	got, err := Resolve(node, project, "withexports/run")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(pkg, "lib", "run-impl.js"); got != want {
		t.Errorf("resolved %s, want node's %s", got, want)
	}
	if _, err := Resolve(node, project, "withexports/absent"); err == nil {
		t.Error("a module that is not there resolved")
	}
	if _, err := Resolve(node, project, "nosuchpackage/run"); err == nil {
		t.Error("a package that is not installed resolved")
	}
}

// nodeWith runs a script in node from the repository root, with extra node arguments first, and
// returns its stdout. (Under -e node prints warnings on stderr when serializeFunction walks the
// globals; they name the pid, so they are left out of what is compared.)
func nodeWith(t *testing.T, args []string, script string) string {
	t.Helper()
	cmd := exec.Command(nodeBin(t), append(append([]string{}, args...), "-e", script)...)
	cmd.Dir = repoRoot(t)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %v: %v\n%s%s", args, err, out, stderr.String())
	}
	return string(out)
}

const loadedModules = `const loaded = (m) => Object.keys(require.cache).some((k) => k.includes("/node_modules/" + m + "/"));`

func TestPreloadDefersTypescriptAndArboristUntilFirstUse(t *testing.T) {
	preload := PreloadArgs()
	if len(preload) != 2 {
		t.Fatalf("no preload: %v", preload)
	}
	out := nodeWith(t, preload, loadedModules+`
		const pulumi = require("@pulumi/pulumi");
		console.log("at load:", loaded("typescript"), loaded("@npmcli/arborist"));
		const codePaths = require("@pulumi/pulumi/runtime/closure/codePaths");
		pulumi.runtime.serializeFunction(() => 42).then(() => {
			console.log("after serializeFunction:", loaded("typescript"));
			console.log("Arborist:", typeof require("@npmcli/arborist").Arborist, loaded("@npmcli/arborist"));
		});`)
	for _, want := range []string{"at load: false false", "after serializeFunction: true", "Arborist: function true"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestPreloadLeavesSerialisedProvidersByteForByteTheSame(t *testing.T) {
	// What a dynamic resource stores as __provider: a function over a captured object and module.
	script := `
		const pulumi = require("@pulumi/pulumi");
		const path = require("path");
		const kinds = { a: 1 };
		const provider = { create: async (inputs) => ({ id: path.join("x", String(kinds.a)), outs: inputs }) };
		pulumi.runtime.serializeFunction(() => provider).then((s) => process.stdout.write(s.text));`
	plain := nodeWith(t, nil, script)
	deferred := nodeWith(t, PreloadArgs(), script)
	if plain == "" || plain != deferred {
		t.Errorf("serialised text differs with the preload:\n--- without\n%s\n--- with\n%s", plain, deferred)
	}
}

func TestPreloadFileIsWrittenOnceAndNamedByItsContent(t *testing.T) {
	first, second := PreloadArgs(), PreloadArgs()
	if len(first) != 2 || first[1] != second[1] {
		t.Fatalf("two calls gave %v and %v", first, second)
	}
	have, err := os.ReadFile(first[1])
	if err != nil || string(have) != string(lazyClosure) {
		t.Fatalf("preload file %s does not hold lazyClosure.js (%v)", first[1], err)
	}
}

func TestPreloadIsLeftOutWhenSwitchedOff(t *testing.T) {
	t.Setenv(PreloadSwitch, "off")
	if args := PreloadArgs(); args != nil {
		t.Errorf("%s=off still gives %v", PreloadSwitch, args)
	}
}
