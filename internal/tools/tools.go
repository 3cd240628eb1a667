//go:build tools

// Package tools pins the project's dependencies before every package that
// uses them exists, so that parallel work never edits go.mod at once.
package tools

import (
	_ "github.com/NimbleMarkets/ntcharts/canvas"
	_ "github.com/charmbracelet/bubbles/list"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/wish"
	_ "github.com/charmbracelet/wish/bubbletea"
	_ "github.com/charmbracelet/x/exp/teatest"
	_ "github.com/mmcloughlin/avo/build"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "golang.org/x/crypto/ssh"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/sys/cpu"
	_ "golang.org/x/term"
	_ "gonum.org/v1/gonum/diff/fd"
	_ "gonum.org/v1/gonum/mat"
	_ "google.golang.org/protobuf/encoding/protowire"
)
