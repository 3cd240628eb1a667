package serve

import (
	"os"
	"testing"

	"workbench/engine/gemm"
)

// TestMain installs the fast Dgemm as the workbench binary does, so the
// /predict benchmarks measure the kernel users run.
func TestMain(m *testing.M) {
	gemm.Install()
	os.Exit(m.Run())
}
