package sshhost

import (
	"testing"
)

// TestMemoryBudgetIsPerUser: --max-memory is each user's budget across all
// their sessions, not each session's: a user with three sessions open
// may hold at most the budget in all, while one session per user of two
// users get the same share each.
func TestMemoryBudgetIsPerUser(t *testing.T) {
	const budget = 3 << 20
	ts := startServer(t, func(c *Config) { c.MaxMemory = budget; c.MaxUserSessions = 3 })
	for _, u := range []string{"alice", "alice", "alice", "bob"} {
		key := ts.alice
		if u == "bob" {
			key = ts.bob
		}
		open(t, ts.mustDial(t, u, key), true, 80, 24).waitFor("fake user=[" + u)
	}
	sum := map[string]int64{}
	for _, a := range ts.fakes.all() {
		if a.opts.MaxMemory <= 0 {
			t.Fatalf("a session got budget %d, want a positive share", a.opts.MaxMemory)
		}
		sum[a.opts.User[:3]] += a.opts.MaxMemory
	}
	if sum["ali"] > budget {
		t.Errorf("alice's three sessions may load %d bytes in all, over her budget of %d", sum["ali"], budget)
	}
	if sum["bob"] != budget/3 {
		t.Errorf("bob's session got %d, want the same share as each of alice's (%d)", sum["bob"], budget/3)
	}
}
