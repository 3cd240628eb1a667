package tui

import (
	"os"
	"testing"

	"workbench/engine/gemm"
)

// TestMain installs the fast Dgemm as the workbench binary does, so the
// runs the tests drive train on the kernel users run.
func TestMain(m *testing.M) {
	gemm.Install()
	os.Exit(m.Run())
}
