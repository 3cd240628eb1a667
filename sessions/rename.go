package sessions

// Renaming a session: the display name's rules and the rewrite of
// session.json alone.

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
)

// Rename changes a session's display name.
func (st *Store) Rename(id, name string) error {
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return err
	}
	unlock, err := st.lock()
	if err != nil {
		return err
	}
	defer unlock()
	if !st.exists(id) {
		return fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	s, err := st.readMeta(id)
	if err != nil {
		return fmt.Errorf("cannot rename session %s: %w", id, err)
	}
	s.Name = name
	meta, err := encodeMeta(s)
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(st.Dir, id), metaFile, meta)
}

func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("a session name cannot be empty")
	case len(name) > 100:
		return fmt.Errorf("a session name has at most 100 bytes, got %d", len(name))
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("a session name cannot hold control characters: %q", name)
	}
	return nil
}
