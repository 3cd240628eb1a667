package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryExecutesNoTemplate: executing a text/template anywhere in the
// program (a cobra help or usage template, say) makes reflection reachable,
// and the linker then keeps every exported method of every type: the
// binary grew from 19 to 26 MB that way. Help is written in Go instead.
func TestBinaryExecutesNoTemplate(t *testing.T) {
	out, err := exec.Command("go", "tool", "nm", workbenchBin).Output()
	if err != nil {
		t.Skipf("go tool nm: %v", err)
	}
	if strings.Contains(string(out), "text/template.(*state).evalCall") {
		t.Error("the binary executes a text/template (e.g. cobra's SetHelpTemplate/SetUsageTemplate/SetVersionTemplate); write that output in Go")
	}
}
