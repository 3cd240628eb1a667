package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"workbench/sessions"
)

// TestServeSeveralSessionsAndFollow: two --session flags serve two models
// under their names, the first on /predict; with --follow a newer session
// of a served name replaces it while the other stays.
func TestServeSeveralSessionsAndFollow(t *testing.T) {
	defer func(d time.Duration) { followEvery = d }(followEvery)
	followEvery = 20 * time.Millisecond
	home := t.TempDir()
	iris := trainExportSession(t, home, "iris", "4:relu")
	sine := trainExportSession(t, home, "sine", "4:tanh")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, stdout, _, done := startServe(t, ctx, serveOptions{sessions: []string{iris.ID, sine.ID}, follow: true, home: home})
	if !strings.Contains(stdout.String(), "/models/e2e sine/predict") {
		t.Errorf("banner does not name the second model's route: %s", stdout.String())
	}
	post := func(path, body string) (int, string) {
		resp, err := http.Post("http://"+addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, b := post("/models/e2e%20sine/predict", `{"input_data":[[0.5]]}`); code != 200 {
		t.Errorf("sine by name: %d %s", code, b)
	}
	if code, b := post("/predict", `{"input_data":[[5.1,3.5,1.4,0.2]]}`); code != 200 || !strings.Contains(b, "labels") {
		t.Errorf("default (iris): %d %s", code, b)
	}
	served := func() map[string]string {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var idx struct {
			Models []struct{ Name, Session string }
		}
		json.NewDecoder(resp.Body).Decode(&idx)
		m := map[string]string{}
		for _, x := range idx.Models {
			m[x.Name] = x.Session
		}
		return m
	}
	newer := trainExportSession(t, home, "iris", "6:relu")
	deadline := time.Now().Add(10 * time.Second)
	for served()["e2e iris"] != newer.ID {
		if time.Now().After(deadline) {
			t.Fatalf("--follow did not swap to %s: %v", newer.ID, served())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := served(); got["e2e sine"] != sine.ID || len(got) != 2 {
		t.Errorf("after following iris: %v", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}

func TestServeRefusesTwoSessionsOfOneName(t *testing.T) {
	home := t.TempDir()
	a := trainExportSession(t, home, "iris", "4:relu")
	b := trainExportSession(t, home, "iris", "4:relu")
	st, err := sessions.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadServed(st, []string{a.ID, b.ID}); err == nil || !strings.Contains(err.Error(), `both named "e2e iris"`) {
		t.Errorf("two sessions of one name: %v", err)
	}
}

// TestServeSessionsFilter: --sessions serves what the filter matches, the
// newest of each name, beside --session's; a bad or empty filter is an
// error naming it.
func TestServeSessionsFilter(t *testing.T) {
	home := t.TempDir()
	a := trainExportSession(t, home, "iris", "4:relu")
	b := trainExportSession(t, home, "sine", "4:tanh")
	st, err := sessions.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	got, err := withFiltered(st, nil, "dataset~i")
	if err != nil || len(got) != 2 || got[0] != b.ID || got[1] != a.ID {
		t.Fatalf("dataset~i: %v %v, want [%s %s] (newest first)", got, err, b.ID, a.ID)
	}
	got, err = withFiltered(st, []string{a.ID}, "task=classification or")
	if err == nil || !strings.Contains(err.Error(), "--sessions") {
		t.Fatalf("a bad filter: %v %v", got, err)
	}
	got, err = withFiltered(st, []string{a.ID}, "dataset~i")
	if err != nil || len(got) != 2 || got[0] != a.ID || got[1] != b.ID {
		t.Fatalf("with --session: %v %v, want [%s %s] (the name asked for once)", got, err, a.ID, b.ID)
	}
	if _, err := withFiltered(st, nil, "dataset=wine"); err == nil || !strings.Contains(err.Error(), "matches no trained session") {
		t.Fatalf("an empty match: %v", err)
	}
}
