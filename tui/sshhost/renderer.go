package sshhost

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// sessionRenderer is this client's renderer, made without asking the
// client anything. wish's MakeRenderer queries the background colour (and
// lipgloss would again, with termenv's 5 s timeout): a client that never
// answers saw nothing for up to 25 s, and the query's reader ate its first
// key. The colour profile comes from the client's TERM and COLORTERM as
// before; the background is taken as dark unless the client's COLORFGBG
// says light, and B in the app flips it.
func sessionRenderer(sess ssh.Session) *lipgloss.Renderer {
	pty, _, ok := sess.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := sessionEnv(append(sess.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe())
	r.SetHasDarkBackground(darkBackground(env.Getenv("COLORFGBG")))
	return r
}

// darkBackground reads COLORFGBG ("fg;bg", ANSI colour numbers, as rxvt
// and some others set it): backgrounds 0-6 and 8 are dark; no value or an
// unknown one counts as dark.
func darkBackground(colorfgbg string) bool {
	parts := strings.Split(colorfgbg, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if colorfgbg == "" || err != nil {
		return true
	}
	return bg <= 6 || bg == 8
}

// sessionEnv is the client's environment for termenv.
type sessionEnv []string

var _ termenv.Environ = sessionEnv(nil)

func (e sessionEnv) Environ() []string { return e }

// Getenv returns the last value of k, as a shell would.
func (e sessionEnv) Getenv(k string) string {
	v := ""
	for _, kv := range e {
		if strings.HasPrefix(kv, k+"=") {
			v = kv[len(k)+1:]
		}
	}
	return v
}
