// Command workbench trains small neural networks in the terminal and serves
// them over HTTP. With no arguments it opens the TUI; subcommands run every
// step headless. The commands live in package cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"workbench/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first Ctrl-C asks for a clean stop (training saves the session
		// as stopped); once it has, a second one kills as usual.
		<-ctx.Done()
		stop()
	}()
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
