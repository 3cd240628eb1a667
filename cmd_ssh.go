package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"

	"workbench/sessions"
	"workbench/tui/sshhost"
)

// runSSH hosts the TUI over SSH until ctx ends (SIGINT/SIGTERM), then shuts
// down cleanly: users are told, trainings stopped and saved.
func runSSH(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ssh", "ssh [flags]",
		"Serve the workbench TUI to your team over SSH. Every user logs in with a\n"+
			"public key from the authorized_keys file and gets their own program and\n"+
			"sessions folder (<home>/users/<key fingerprint>/). Passwords are refused.\n"+
			"Data files a user opens must sit in their own <home>/users/<key\n"+
			"fingerprint>/files folder on this host (there is no scp or sftp).",
		[]string{
			"workbench ssh",
			"workbench ssh --addr 0.0.0.0:23234 --authorized-keys ~/team_keys --max-training 2",
			"ssh -p 23234 127.0.0.1   # from a teammate's terminal",
		}, stdout)
	addr := fs.String("addr", sshhost.DefaultAddr, "`host:port` to listen on (0.0.0.0:PORT for other machines)")
	authKeys := fs.String("authorized-keys", "", "authorized_keys `file` of the users allowed in (default ~/.ssh/authorized_keys); re-read when it changes")
	hostKey := fs.String("host-key", "", "server private key `file`; generated (ed25519) if missing (default <home>/ssh_host_ed25519_key)")
	home := homeFlag(fs)
	maxSessions := fs.Int("max-sessions", sshhost.DefaultMaxSessions, "most concurrent SSH sessions; more are told the server is full")
	maxTraining := fs.Int("max-training", sshhost.DefaultMaxTraining(), "most concurrent training runs across all users; more queue")
	idle := fs.Duration("idle-timeout", sshhost.DefaultIdleTimeout, "close a connection after this long without traffic (0 = never)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, 0, "no arguments"); err != nil {
		return err
	}
	if *maxSessions < 1 {
		return fmt.Errorf("ssh: --max-sessions %d: want at least 1", *maxSessions)
	}
	if *maxTraining < 1 {
		return fmt.Errorf("ssh: --max-training %d: want at least 1", *maxTraining)
	}
	if *idle < 0 {
		return fmt.Errorf("ssh: --idle-timeout %v: want 0 (never) or a positive duration", *idle)
	}
	if *idle == 0 {
		*idle = -1 // Config: negative means never, zero the default
	}
	dir, err := sessions.HomeDir(*home)
	if err != nil {
		return err
	}
	// A server piped into a log collector (`| tee log`) must not die with
	// SIGPIPE when the collector goes, least of all while it is saving its
	// users' trainings on the way down: writes then just fail.
	signal.Ignore(syscall.SIGPIPE)
	// Closing the terminal the server was started from (or losing the SSH
	// session to the host) sends SIGHUP, which would kill it on the spot
	// with trainings unsaved; treat it like SIGTERM. authorized_keys is
	// re-read on its own, so SIGHUP is not needed for reloading.
	ctx, stopHUP := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stopHUP()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	srv, err := sshhost.New(sshhost.Config{
		Home:           dir,
		Addr:           *addr,
		AuthorizedKeys: *authKeys,
		HostKey:        *hostKey,
		MaxSessions:    *maxSessions,
		MaxTraining:    *maxTraining,
		IdleTimeout:    *idle,
		ShutdownGrace:  10 * time.Second,
		Log:            log,
	})
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	morePs.Do(addPsForInteractivity)
	fmt.Fprintf(stdout, "workbench ssh: listening on %s (home %s, keys %s, host key %s)\n",
		srv.Addr(), dir, srv.AuthorizedKeysPath(), srv.HostKeyPath())
	if h, p, err := net.SplitHostPort(srv.Addr().String()); err == nil {
		if h == "0.0.0.0" || h == "::" {
			h = "<this machine>"
		}
		fmt.Fprintf(stdout, "connect with: ssh -p %s %s\n", p, h)
	}
	err = srv.Serve(ctx)
	if err == nil {
		fmt.Fprintln(stdout, "workbench ssh: stopped")
	}
	return err
}

// morePs runs addPsForInteractivity once per process (tests call runSSH
// many times).
var morePs sync.Once

func addPsForInteractivity() {
	if os.Getenv("GOMAXPROCS") == "" {
		// A training run keeps every P busy (parallel shards and matrix
		// multiplies), so another user's keystroke waited for Go's 10 ms
		// preemption at each hop (SSH read, update, render, encrypt).
		// A few Ps more than cores let those goroutines run at once on a
		// thread the kernel schedules fairly: on 2 cores (4 Ps) key-to-screen
		// p50 went from 47–72 ms to 17–19 ms (the 60 fps frame) with no
		// training slowdown measurable. Capped at 4 extra so big machines
		// are not oversubscribed. GOMAXPROCS=N in the environment wins.
		n := runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(n + min(n, 4))
	}
}
