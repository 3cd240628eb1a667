//go:build !unix

package cli

import tea "github.com/charmbracelet/bubbletea"

// suspendSelf is nil where there is no job control: ctrl+z says it is not
// available.
var suspendSelf func()

func handleSuspend(*tea.Program) (stop func()) { return func() {} }
