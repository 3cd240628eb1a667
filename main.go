// Command workbench trains small neural networks in the terminal and serves
// them over HTTP. With no arguments it opens the TUI; subcommands run every
// step headless. The commands, and how signals stop them, live in package
// cli.
package main

import (
	"os"

	"workbench/cli"
)

func main() {
	os.Exit(cli.MainWithSignals(os.Args[1:], os.Stdout, os.Stderr))
}
