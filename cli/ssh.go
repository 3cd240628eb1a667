package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"workbench/sessions"
	"workbench/tui"
	"workbench/tui/sshhost"
)

func newSSHCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ssh [flags]",
		Short: "host the TUI over SSH for a team",
		Long: "Serve the workbench TUI to your team over SSH. Every user logs in with a\n" +
			"public key from the authorized_keys file and gets their own program and\n" +
			"sessions folder (<home>/users/<key fingerprint>/). Passwords are refused.\n" +
			"Data files a user opens must sit in their own <home>/users/<key\n" +
			"fingerprint>/files folder on this host (there is no scp or sftp).",
		Example: examples(
			"workbench ssh",
			"workbench ssh --addr 0.0.0.0:23234 --authorized-keys ~/team_keys --max-training 2",
			"workbench ssh --port-range 9000-9049   # users' predict servers on these ports only",
			"ssh -p 23234 127.0.0.1   # from a teammate's terminal",
		),
		Args: argsBetween(0, 0, "no arguments"),
	}
	fs := cmd.Flags()
	var o sshOptions
	fs.StringVar(&o.addr, "addr", sshhost.DefaultAddr, "`host:port` to listen on (0.0.0.0:PORT for other machines)")
	fs.StringVar(&o.authKeys, "authorized-keys", "", "authorized_keys `file` of the users allowed in (default ~/.ssh/authorized_keys); re-read when it changes")
	fs.StringVar(&o.hostKey, "host-key", "", "server private key `file`; generated (ed25519) if missing (default <home>/ssh_host_ed25519_key)")
	home := homeFlag(fs)
	fs.IntVar(&o.maxSessions, "max-sessions", sshhost.DefaultMaxSessions, "most concurrent SSH sessions; more are told the server is full")
	fs.IntVar(&o.maxUserSessions, "max-user-sessions", sshhost.DefaultMaxUserSessions, "most concurrent SSH sessions of one key, so one user cannot take every --max-sessions slot")
	fs.IntVar(&o.maxTraining, "max-training", sshhost.DefaultMaxTraining(), "most concurrent training runs across all users; more queue, and free slots go round-robin between the users waiting")
	fs.IntVar(&o.maxUserTraining, "max-user-training", sshhost.DefaultMaxUserTraining, "most concurrent training runs of one key; their further runs wait while others take the free slots")
	fs.IntVar(&o.maxUserQueued, "max-user-queued", sshhost.DefaultMaxUserQueued, "most runs of one key waiting for a training slot (0 = none may wait); more are refused in the user's Train pane")
	o.maxMemory = maxMemoryFlag(fs)
	fs.Lookup("max-memory").Usage = "each user's budget for loading data (e.g. 512MiB); larger data is refused in that user's Data pane (default 2 GiB or a quarter of RAM, whichever is less)"
	fs.StringVar(&o.portRange, "port-range", "", "`LO-HI`: the loopback ports users' predict servers take (within 1024-65535; a taken port is skipped); default any free port")
	fs.DurationVar(&o.idle, "idle-timeout", sshhost.DefaultIdleTimeout, "close a connection after this long without traffic (0 = never)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		o.home = *home
		return runSSH(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o)
	}
	return cmd
}

// sshOptions are ssh's flags.
type sshOptions struct {
	addr, authKeys, hostKey, home  string
	portRange                      string
	maxSessions, maxTraining       int
	maxUserSessions                int
	maxUserTraining, maxUserQueued int
	maxMemory                      *int64
	idle                           time.Duration
}

// runSSH hosts the TUI over SSH until ctx ends (SIGINT/SIGTERM), then shuts
// down cleanly: users are told, trainings stopped and saved.
func runSSH(ctx context.Context, stdout, stderr io.Writer, o sshOptions) error {
	if err := atLeastOne("ssh", flagInt{"max-sessions", int64(o.maxSessions)}, flagInt{"max-training", int64(o.maxTraining)},
		flagInt{"max-user-training", int64(o.maxUserTraining)}); err != nil {
		return err
	}
	if o.maxUserQueued < 0 {
		return fmt.Errorf("ssh: --max-user-queued %d: want 0 (none may wait) or more", o.maxUserQueued)
	}
	if o.maxUserQueued == 0 {
		o.maxUserQueued = -1 // Config: negative means none, zero the default
	}
	if o.idle < 0 {
		return fmt.Errorf("ssh: --idle-timeout %v: want 0 (never) or a positive duration", o.idle)
	}
	if o.idle == 0 {
		o.idle = -1 // Config: negative means never, zero the default
	}
	var ports tui.PortRange
	if o.portRange != "" {
		var err error
		if ports, err = sshhost.ParsePortRange(o.portRange); err != nil {
			return fmt.Errorf("ssh: --port-range: %w", err)
		}
	}
	dir, err := sessions.HomeDir(o.home)
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
		Home:            dir,
		Addr:            o.addr,
		AuthorizedKeys:  o.authKeys,
		HostKey:         o.hostKey,
		MaxSessions:     o.maxSessions,
		MaxTraining:     o.maxTraining,
		MaxUserSessions: o.maxUserSessions,
		MaxUserTraining: o.maxUserTraining,
		MaxUserQueued:   o.maxUserQueued,
		MaxMemory:       *o.maxMemory,
		IdleTimeout:     o.idle,
		ServePorts:      ports,
		ShutdownGrace:   10 * time.Second,
		Log:             log,
		Version:         version(),
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
