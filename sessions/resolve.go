package sessions

// The query language that turns what a user typed (id, prefix, name,
// "latest") into one session id.

import (
	"errors"
	"fmt"
	"strings"
)

// Resolve finds a session by id, unique id prefix, name (newest of that
// name) or "latest".
//
// An exact id wins (even for a damaged session, so it can be removed), then
// "latest", then a name, then a unique prefix of an id; an ambiguous prefix
// is an error listing the candidates.
//
// "latest" is the newest session even when it is damaged: Load then says
// why, where skipping it would silently pick an older session (or claim
// there are none) and hide the damage from 'sessions show latest'.
func (st *Store) Resolve(query string) (string, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return "", errors.New("no session given; pass an id, a unique id prefix, a name or latest")
	}
	if checkID(q) == nil && st.exists(q) {
		return q, nil
	}
	entries, err := st.List()
	if err != nil {
		return "", err
	}
	if q == "latest" {
		if len(entries) > 0 { // newest first
			return entries[0].ID, nil
		}
		return "", fmt.Errorf("no sessions yet in %s; train one with 'workbench train --data iris': %w", st.Dir, ErrNotFound)
	}
	for _, e := range entries { // newest first
		if e.Session != nil && e.Session.Name == q {
			return e.ID, nil
		}
	}
	var matches []string
	for _, e := range entries {
		if strings.HasPrefix(e.ID, q) {
			matches = append(matches, e.ID)
		}
	}
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("no session matches %q (see 'workbench sessions'): %w", q, ErrNotFound)
	case 1:
		return matches[0], nil
	}
	shown := matches
	more := ""
	if len(shown) > 8 {
		more = fmt.Sprintf(" and %d more", len(shown)-8)
		shown = shown[:8]
	}
	return "", fmt.Errorf("%q matches %d sessions: %s%s; give more of the id", q, len(matches), strings.Join(shown, ", "), more)
}
