package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportArrows keeps the project's arrows one way (README, Development;
// ../shared/ARCHITECTURE.md): each package may import only the project
// packages listed for it. A package missing from the table fails too, so a
// new package states its place here.
func TestImportArrows(t *testing.T) {
	allowed := map[string][]string{
		"workbench":                             {"cli"},
		"workbench/cli":                         {"tui", "tui/sshhost", "serve", "sessions", "sessions/plots", "datasets", "engine", "engine/gemm"},
		"workbench/tui":                         {"serve", "sessions", "sessions/plots", "datasets", "engine"},
		"workbench/tui/sshhost":                 {"tui", "sessions"},
		"workbench/serve":                       {"sessions", "datasets", "engine"},
		"workbench/sessions":                    {"datasets", "engine", "engine/onnx"},
		"workbench/sessions/plots":              {"sessions", "datasets"},
		"workbench/engine":                      {"engine/gemm", "engine/internal/spin"},
		"workbench/engine/gemm":                 {"engine/internal/spin"},
		"workbench/engine/gemm/asm":             {},
		"workbench/engine/internal/spin":        {},
		"workbench/engine/onnx":                 {"engine", "engine/onnx/internal/onnxpb"},
		"workbench/engine/onnx/internal/onnxpb": {},
		"workbench/engine/onnx/onnxtest":        {"engine/onnx", "engine/onnx/internal/onnxpb", "engine"},
		"workbench/datasets":                    {},
		"workbench/deploy":                      {},
		"workbench/deploy/healthcheck":          {},
		"workbench/bench/servebare":             {},
		"workbench/bench/sshsoak":               {},
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "workbench/...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, imports := f[0], f[1:]
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("package %s is not in the table of arrows: add it with the project packages it may import", pkg)
			continue
		}
		for _, imp := range imports {
			rel, mine := strings.CutPrefix(imp, "workbench/")
			if !mine {
				continue
			}
			found := false
			for _, a := range ok {
				found = found || a == rel
			}
			if !found {
				t.Errorf("%s imports %s, against the arrows (it may import %v)", pkg, imp, ok)
			}
		}
	}
}
