package sshhost

import (
	"os"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// The header names a key by its authorized_keys comment, which the host's
// admin wrote, rather than the login name the client chose; a key without
// one keeps the login name.
func TestHeaderShowsTheKeysComment(t *testing.T) {
	ts := startServer(t, nil)
	// Rewritten with comments: the server re-reads the file when it changes.
	b := gossh.MarshalAuthorizedKey(ts.bob.PublicKey())
	ak := string(gossh.MarshalAuthorizedKey(ts.alice.PublicKey())) + string(b[:len(b)-1]) + " Bob Smith\x1b[2J <bob@laptop>\n"
	if err := os.WriteFile(ts.akPath, []byte(ak), 0o600); err != nil {
		t.Fatal(err)
	}
	short := func(k gossh.Signer) string { return gossh.FingerprintSHA256(k.PublicKey())[:len("SHA256:")+8] + "…" }

	bob := open(t, ts.mustDial(t, "git", ts.bob), true, 100, 30)
	bob.waitFor("fake user=[Bob Smith[2J <bob@laptop> (" + short(ts.bob) + ")]")
	alice := open(t, ts.mustDial(t, "alice", ts.alice), true, 100, 30)
	alice.waitFor("fake user=[alice (" + short(ts.alice) + ")]")
}
