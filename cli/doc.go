// Package cli is workbench's command line: `workbench` (the TUI) and its
// headless commands (datasets, train, sessions, predict, serve, export,
// ssh) on spf13/cobra, with their terminal and JSON output. Main is the
// whole program; package main only adds the signal context.
//
// It is a face over the public APIs of sessions, datasets, serve and tui:
// it does no maths, file parsing or disk layout of its own, and nothing
// imports it but main.
package cli
