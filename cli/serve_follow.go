package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"workbench/serve"
	"workbench/sessions"
)

// followEvery is how often --follow looks for newer sessions (a test
// shortens it).
var followEvery = 2 * time.Second

// loadServed loads the sessions named by serve's --session flags. Two that
// share a name would fight over one set of routes, so that is refused.
func loadServed(st *sessions.Store, queries []string) ([]*sessions.Session, error) {
	if len(queries) == 0 {
		queries = []string{"latest"}
	}
	var out []*sessions.Session
	byName := map[string]string{}
	for _, q := range queries {
		sess, err := loadSession(st, q)
		if err != nil {
			return nil, fmt.Errorf("serve: --session %s: %w", q, err)
		}
		if sess.Model == nil {
			return nil, fmt.Errorf("serve: session %s has no trained model", sess.ID)
		}
		name := servedName(sess)
		if prev, dup := byName[name]; dup {
			return nil, fmt.Errorf("serve: sessions %s and %s are both named %q; a name serves one model (rename one with 'workbench sessions rename')", prev, sess.ID, name)
		}
		byName[name] = sess.ID
		out = append(out, sess)
	}
	return out, nil
}

// withFiltered adds to queries the ids of the sessions filter matches
// (sessions' filter language), the newest of each name not already asked
// for, newest first. A filter that matches nothing is an error naming it:
// a server with nothing (or only "latest") to serve is not what was meant.
func withFiltered(st *sessions.Store, queries []string, filter string) ([]string, error) {
	if filter == "" {
		return queries, nil
	}
	f, err := sessions.ParseFilter(filter)
	if err != nil {
		return nil, fmt.Errorf("serve: --sessions: %w", err)
	}
	entries, err := st.List()
	if err != nil {
		return nil, err
	}
	out := append([]string(nil), queries...)
	seen := map[string]bool{} // names served already: --session's, then the filter's
	ids := map[string]bool{}
	for _, q := range queries {
		if id, err := st.Resolve(q); err == nil { // a bad one is loadServed's to report
			ids[id] = true
		}
	}
	for _, e := range entries {
		if ids[e.ID] && e.Session != nil {
			seen[servedName(e.Session)] = true
		}
	}
	for _, r := range sessions.FilterRecords(sessions.Records(entries), f) { // List is newest first
		if r.Session == nil || r.Session.Status == sessions.Running {
			continue
		}
		name := servedName(r.Session)
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, r.ID)
	}
	if len(out) == len(queries) {
		return nil, fmt.Errorf("serve: --sessions %q matches no trained session (see 'workbench sessions --filter %q')", filter, filter)
	}
	return out, nil
}

// servedName is the name a session is served under (serve's own rule: the
// session's name, else its id).
func servedName(s *sessions.Session) string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

// followSessions swaps each served name to its newest readable session
// (a new run of that name, or the same run saved again with a better
// epoch) until ctx ends. A session that cannot be loaded yet (being
// written) is retried on the next tick.
func followSessions(ctx context.Context, st *sessions.Store, srv *serve.Server, served []*sessions.Session, log *slog.Logger) {
	type seen struct {
		id      string
		updated time.Time
	}
	cur := map[string]seen{}
	for _, s := range served {
		cur[servedName(s)] = seen{s.ID, s.Updated}
	}
	t := time.NewTicker(followEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		entries, err := st.List()
		if err != nil {
			log.Warn("follow: cannot list sessions", "error", err.Error())
			continue
		}
		done := map[string]bool{}
		for _, e := range entries { // newest first
			if e.Session == nil {
				continue
			}
			name := servedName(e.Session)
			c, ok := cur[name]
			if !ok || done[name] {
				continue
			}
			done[name] = true
			if c.id == e.ID && c.updated.Equal(e.Session.Updated) {
				continue
			}
			sess, err := st.Load(e.ID)
			if err != nil || sess.Model == nil {
				log.Debug("follow: session not loadable yet", "session", e.ID, "error", fmt.Sprint(err))
				continue
			}
			srv.Put(sess)
			cur[name] = seen{sess.ID, sess.Updated}
			log.Info("follow: now serving", "model", name, "session", sess.ID)
		}
	}
}
