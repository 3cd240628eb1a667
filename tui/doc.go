// Package tui is the workbench's face: a Bubble Tea program with five panes
// (Data, Model, Train, Serve, Sessions) that drives the datasets, engine,
// sessions and serve packages through their public APIs only.
//
// One App is one program (a local terminal or one SSH connection): it owns
// its styles (built for its own lipgloss renderer), its training run and its
// predict server, and reaches background work through per-program channels,
// never a global *tea.Program.
//
// tui must never import package main or tui/sshhost, and does no maths or
// file I/O of its own beyond listing directories for path completion and
// checking the paths a user types (exports are written by sessions.Export).
package tui
