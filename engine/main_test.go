package engine

import (
	"os"
	"testing"

	fastgemm "workbench/engine/gemm"
)

// TestMain installs the fast Dgemm as the workbench binary does, so the
// tests and benchmarks cover the kernel users run ($WORKBENCH_GEMM=off
// covers gonum's own).
func TestMain(m *testing.M) {
	fastgemm.Install()
	os.Exit(m.Run())
}
