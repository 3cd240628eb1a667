package sshhost

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// authorizedKeys is an authorized_keys file, re-read when its modification
// time or size changes so adding a teammate needs no restart.
type authorizedKeys struct {
	path string
	log  *slog.Logger

	mu    sync.Mutex
	mtime time.Time
	size  int64
	keys  map[string]keyOptions // marshalled public key → its options
}

// loadAuthorizedKeys reads path once; a missing or unreadable file, or one
// without a single usable key, is an error that names the file.
func loadAuthorizedKeys(path string, log *slog.Logger) (*authorizedKeys, error) {
	ak := &authorizedKeys{path: path, log: log}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %v (pass --authorized-keys FILE with one public key a line)", err)
	}
	keys, bad, err := parseAuthorizedKeys(path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %v", err)
	}
	for _, b := range bad {
		log.Warn("authorized keys: line ignored", "file", path, "reason", b)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("authorized keys: %s has no usable public key, so nobody could log in", path)
	}
	ak.keys, ak.mtime, ak.size = keys, fi.ModTime(), fi.Size()
	return ak, nil
}

// parseAuthorizedKeys returns the keys of the file and one message per line
// that is not a key. Bad lines are skipped rather than fatal, as OpenSSH
// does, so one typo does not lock the whole team out.
func parseAuthorizedKeys(path string) (map[string]keyOptions, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	keys := map[string]keyOptions{}
	var bad []string
	for i, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pk, comment, opts, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %v", i+1, err))
			continue
		}
		ko, err := parseKeyOptions(opts)
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d (key %s): %v", i+1, gossh.FingerprintSHA256(pk), err))
			continue
		}
		ko.comment = comment
		keys[string(pk.Marshal())] = ko
	}
	return keys, bad, nil
}

// allowed reports whether key may log in, and its options, re-reading the
// file first if it changed. If the file disappears or becomes unreadable
// nobody is let in: removing the file is how an admin would revoke access.
func (ak *authorizedKeys) allowed(key gossh.PublicKey) (keyOptions, bool) {
	ak.mu.Lock()
	defer ak.mu.Unlock()
	fi, err := os.Stat(ak.path)
	if err != nil {
		if ak.keys != nil {
			ak.log.Warn("authorized keys: file gone, refusing everyone until it is back", "file", ak.path, "err", err)
		}
		ak.keys, ak.mtime, ak.size = nil, time.Time{}, -1
		return keyOptions{}, false
	}
	if !fi.ModTime().Equal(ak.mtime) || fi.Size() != ak.size {
		keys, bad, err := parseAuthorizedKeys(ak.path)
		if err != nil {
			ak.log.Warn("authorized keys: cannot re-read, refusing everyone", "file", ak.path, "err", err)
			ak.keys = nil
			return keyOptions{}, false
		}
		for _, b := range bad {
			ak.log.Warn("authorized keys: line ignored", "file", ak.path, "reason", b)
		}
		ak.log.Info("authorized keys: reloaded", "file", ak.path, "keys", len(keys))
		ak.keys, ak.mtime, ak.size = keys, fi.ModTime(), fi.Size()
	}
	ko, ok := ak.keys[string(key.Marshal())]
	return ko, ok
}
