package sessions

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestListAndLoadAgree: every kind of damage is listed DAMAGED exactly when
// Load refuses it, with the same reason (issue 14 item 11).
func TestListAndLoadAgree(t *testing.T) {
	st := openStore(t)
	editMeta := func(id string, f func(m map[string]any)) {
		p := filepath.Join(st.Dir, id, metaFile)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		if b, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	damage := map[string]struct {
		do   func(id string)
		want string
	}{
		"trailing": {func(id string) {
			f, err := os.OpenFile(filepath.Join(st.Dir, id, weightsFile), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte("junk"))
			f.Close()
		}, "after its tensors"},
		"zerostd": {func(id string) {
			editMeta(id, func(m map[string]any) { m["scaler"].(map[string]any)["std"].([]any)[1] = 0.0 })
		}, "std 0"},
		"negstd": {func(id string) {
			editMeta(id, func(m map[string]any) { m["scaler"].(map[string]any)["std"].([]any)[0] = -1.5 })
		}, "std -1.5"},
		"noclasses": {func(id string) {
			editMeta(id, func(m map[string]any) { m["data"].(map[string]any)["classes"] = []any{} })
		}, "0 classes"},
	}
	ids := map[string]string{}
	for name, d := range damage {
		s := trained(t, st, name, 1)
		d.do(s.ID)
		ids[s.ID] = name
	}
	good := trained(t, st, "good", 1)

	// A folder linked in from elsewhere (another user's store).
	other := openStore(t)
	theirs := trained(t, other, "theirs", 1)
	linkID := theirs.ID
	if err := os.Symlink(filepath.Join(other.Dir, theirs.ID), filepath.Join(st.Dir, linkID)); err != nil {
		t.Fatal(err)
	}
	damage["linked"] = struct {
		do   func(string)
		want string
	}{nil, "symbolic link"}
	ids[linkID] = "linked"

	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, e := range entries {
		listed[e.ID] = e.Damaged
	}
	for id, name := range ids {
		want := damage[name].want
		if !strings.Contains(listed[id], want) {
			t.Errorf("%s: listed as %q, want DAMAGED with %q", name, listed[id], want)
		}
		if _, err := st.Load(id); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Load error %v, want %q", name, err, want)
		}
	}
	if listed[good.ID] != "" {
		t.Errorf("the good session is listed damaged: %s", listed[good.ID])
	}
	if _, err := st.Load(good.ID); err != nil {
		t.Errorf("the good session does not load: %v", err)
	}
	// The linked folder is never written through.
	before, _ := os.ReadFile(filepath.Join(other.Dir, theirs.ID, metaFile))
	theirs.Name = "hijacked"
	theirs.stored = true
	_ = st.Save(theirs)
	after, _ := os.ReadFile(filepath.Join(other.Dir, theirs.ID, metaFile))
	if string(before) != string(after) {
		t.Error("saving by id wrote through a linked session folder")
	}
}
