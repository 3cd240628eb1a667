// Package sshhost serves the workbench TUI over SSH so a team can share one
// strong machine: every connection gets its own Bubble Tea program, renderer
// and per-user sessions folder, behind public-key authentication.
//
// It imports tui and sessions and must never be imported by them (nor by
// engine, datasets or serve): the TUI knows nothing of SSH, it is handed a
// renderer, a store and a context like any other terminal.
package sshhost
