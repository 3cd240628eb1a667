package sshhost

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// loadOrCreateHostKey returns the PEM of the host key at path, generating an
// ed25519 key there (0600, with a .pub beside it) the first time. Clients'
// known_hosts stay valid across restarts only if this key is reused, so an
// existing file that cannot be used is an error, never silently replaced.
//
// wish.WithHostKeyPath would generate the same kind of key, but it also
// chmods the key's directory to 0700 — which could be a directory the user
// named for other reasons — so the few lines are kept here.
func loadOrCreateHostKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if _, perr := gossh.ParsePrivateKey(b); perr != nil {
			return nil, fmt.Errorf("host key %s: %v", path, perr)
		}
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("host key: %v", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("host key: generate: %v", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "workbench ssh host key")
	if err != nil {
		return nil, fmt.Errorf("host key: %v", err)
	}
	pemBytes := pem.EncodeToMemory(block)
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("host key: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("host key: %v", err)
	}
	// Write to a temporary name and link into place, so a crash never leaves
	// a half-written key and two servers starting at once agree on one key.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hostkey-*")
	if err != nil {
		return nil, fmt.Errorf("host key: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(pemBytes)
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("host key: write %s: %v", path, err)
		}
	} else {
		tmp.Close()
		return nil, fmt.Errorf("host key: %v", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateHostKey(path) // another server won the race
		}
		return nil, fmt.Errorf("host key: %v", err)
	}
	pub := gossh.MarshalAuthorizedKey(signer.PublicKey())
	// The .pub file is a convenience for admins (ssh-keyscan gives the same);
	// failing to write it does not stop the server.
	_ = os.WriteFile(path+".pub", pub, 0o644)
	return pemBytes, nil
}
