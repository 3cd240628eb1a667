package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// sandbox makes root/ (data/a.csv, data/b.csv, data2/, .hidden, links in
// and out) beside other/secret.csv, and returns root and other with their
// links resolved.
func sandbox(t *testing.T) (root, other string) {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root, other = filepath.Join(base, "root"), filepath.Join(base, "other")
	for _, d := range []string{filepath.Join(root, "data"), filepath.Join(root, "data2"), other} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	csv := "x,y,label\n1,2,a\n2,1,b\n3,4,a\n4,3,b\n5,6,a\n6,5,b\n7,8,a\n8,7,b\n9,9,a\n0,1,b\n"
	for _, f := range []string{filepath.Join(root, "data", "a.csv"), filepath.Join(root, "data", "b.csv"), filepath.Join(root, ".hidden"), filepath.Join(other, "secret.csv")} {
		if err := os.WriteFile(f, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for link, to := range map[string]string{
		filepath.Join(root, "escape"):     other,                               // absolute link out
		filepath.Join(root, "data", "up"): filepath.Join("..", "..", "other"),  // relative link out
		filepath.Join(root, "inlink"):     filepath.Join("data", "a.csv"),      // stays inside
		filepath.Join(root, "dangling"):   filepath.Join(other, "nothing-yet"), // leads nowhere (yet)
	} {
		if err := os.Symlink(to, link); err != nil {
			t.Fatal(err)
		}
	}
	return root, other
}

func TestFileRootResolve(t *testing.T) {
	root, other := sandbox(t)
	// The root itself may be reached through a link.
	alias := filepath.Join(filepath.Dir(root), "alias")
	if err := os.Symlink(root, alias); err != nil {
		t.Fatal(err)
	}
	fl, err := newFiles(alias)
	if err != nil {
		t.Fatal(err)
	}
	if fl.root != root || fl.dir() != root {
		t.Fatalf("root %q, dir %q; want %q", fl.root, fl.dir(), root)
	}
	for _, tc := range []struct {
		typed string
		want  string // resolved path, or "" when refused
	}{
		{"data/a.csv", filepath.Join(root, "data", "a.csv")},
		{"~/data/a.csv", filepath.Join(root, "data", "a.csv")},
		{"~", root},
		{"./data/../data/b.csv", filepath.Join(root, "data", "b.csv")},
		{filepath.Join(root, "data", "a.csv"), filepath.Join(root, "data", "a.csv")},
		{filepath.Join(alias, "data", "a.csv"), ""}, // the alias is not the root's path
		{"inlink", filepath.Join(root, "data", "a.csv")},
		{"new.onnx", filepath.Join(root, "new.onnx")},
		{"data/new/m.onnx", filepath.Join(root, "data", "new", "m.onnx")},
		{"../other/secret.csv", ""},
		{"~/../other/secret.csv", ""},
		{"data/../../other/secret.csv", ""},
		{filepath.Join(other, "secret.csv"), ""},
		{"/etc/passwd", ""},
		{"escape/secret.csv", ""},
		{"escape", ""},
		{"escape/new.onnx", ""},
		{"data/up/secret.csv", ""},
		{"dangling", ""},
		{"  ", ""},
	} {
		got, err := fl.resolve(tc.typed)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("resolve(%q) = %q, want it refused", tc.typed, got)
		case tc.want == "" && strings.TrimSpace(tc.typed) != "" && tc.typed != "dangling" && !strings.Contains(err.Error(), "outside your files folder "+root):
			t.Errorf("resolve(%q): %v, want the message to name the files folder", tc.typed, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("resolve(%q) = %q, %v; want %q", tc.typed, got, err, tc.want)
		}
	}
	if _, err := fl.resolve("dangling"); err == nil || !strings.Contains(err.Error(), "leads nowhere") {
		t.Errorf("dangling link: %v", err)
	}
	if _, err := newFiles(filepath.Join(root, "no-such")); err == nil {
		t.Error("a missing FileRoot accepted")
	}
	if _, err := newFiles(filepath.Join(root, "data", "a.csv")); err == nil {
		t.Error("a file as FileRoot accepted")
	}
}

func TestFileRootComplete(t *testing.T) {
	root, other := sandbox(t)
	fl, err := newFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typed, value string
		choices      []string // nil: none; one "(…)" entry: a note
	}{
		{"", "", []string{"data/", "data2/", "inlink"}},
		{"d", "data", []string{"data/", "data2/"}},
		{"data/", "data/", []string{"a.csv", "b.csv"}},
		{"data/a", "data/a.csv", nil},
		{"~/data/b", "~/data/b.csv", nil},
		{"in", "inlink", nil},
		{"es", "es", []string{"(no match)"}},
		{"data/u", "data/u", []string{"(no match)"}},
		{".h", ".hidden", nil},
		{"../", "../", []string{"(../ is outside your files folder " + root + "; only files in it can be used)"}},
		{"../other/s", "../other/s", []string{"(../other/ is outside your files folder " + root + "; only files in it can be used)"}},
		{other + "/", other + "/", []string{"(" + other + "/ is outside your files folder " + root + "; only files in it can be used)"}},
		{"escape/", "escape/", []string{"(escape/ is outside your files folder " + root + "; only files in it can be used)"}},
		{"/", "/", []string{"(/ is outside your files folder " + root + "; only files in it can be used)"}},
	} {
		v, choices := fl.complete(tc.typed)
		if v != tc.value || strings.Join(choices, "|") != strings.Join(tc.choices, "|") {
			t.Errorf("complete(%q) = %q %q; want %q %q", tc.typed, v, choices, tc.value, tc.choices)
		}
		for _, c := range choices {
			if strings.Contains(c, "secret") || strings.Contains(c, "escape") && !strings.HasPrefix(c, "(") {
				t.Errorf("complete(%q) lists %q from outside the root", tc.typed, c)
			}
		}
	}
	// Without a root, completion works on any folder as before.
	v, _ := files{}.complete(other + "/s")
	if v != other+"/secret.csv" {
		t.Errorf("unconfined complete = %q", v)
	}
}

func TestFileRootCheckRef(t *testing.T) {
	root, _ := sandbox(t)
	fl, err := newFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ref, want string }{
		{"iris", "iris"},
		{"spiral?n=100&noise=0.1", "spiral?n=100&noise=0.1"},
		{"data/a.csv", filepath.Join(root, "data", "a.csv")},
		{"iris.csv", filepath.Join(root, "iris.csv")}, // not a catalogue name: a file in the root
		{"../other/secret.csv", ""},
		{"escape/secret.csv", ""},
	} {
		got, err := fl.checkRef(tc.ref)
		if (tc.want == "") != (err != nil) || got != tc.want {
			t.Errorf("checkRef(%q) = %q, %v; want %q", tc.ref, got, err, tc.want)
		}
	}
	if got, err := (files{}).checkRef("../x.csv"); err != nil || got != "../x.csv" {
		t.Errorf("unconfined checkRef changed a relative ref: %q, %v", got, err)
	}
}

// TestDataPaneFileRoot: over SSH the open-file prompt refuses paths out of
// the user's folder, says where files go, and loads what is inside.
func TestDataPaneFileRoot(t *testing.T) {
	root, other := sandbox(t)
	a := newTestApp(t, Options{FileRoot: root, FileNote: "put files in " + root + " on the host"})
	dp := a.impl.panes[paneData].(*dataPane)
	size(a, 160, 48)
	press(a, "o")
	if v := a.View(); !strings.Contains(v, "put files in "+root+" on the host") {
		t.Errorf("the prompt does not say where files go:\n%s", v)
	}
	before := a.impl.plan.DataRef
	for _, typed := range []string{"../other/secret.csv", filepath.Join(other, "secret.csv"), "escape/secret.csv", "data/up/secret.csv"} {
		dp.path.SetValue(typed)
		if cmd := dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter}); cmd != nil {
			t.Errorf("%s: a load was started", typed)
		}
		if !strings.Contains(dp.loadErr, "outside your files folder") || dp.mode != dataOpen {
			t.Errorf("%s: error %q, prompt open %v", typed, dp.loadErr, dp.mode == dataOpen)
		}
	}
	if a.impl.plan.DataRef != before {
		t.Errorf("plan changed to %q by a refused path", a.impl.plan.DataRef)
	}
	dp.path.SetValue("~/data/a")
	press(a, "tab")
	if dp.path.Value() != "~/data/a.csv" {
		t.Errorf("completion gave %q", dp.path.Value())
	}
	cmd := dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatalf("no load for a file inside the root (error %q)", dp.loadErr)
	}
	msg := cmd().(dataLoadedMsg)
	if msg.err != nil || msg.ref != filepath.Join(root, "data", "a.csv") {
		t.Errorf("loaded %q: %v", msg.ref, msg.err)
	}
}

// TestExportFileRoot: the export prompt defaults to the files folder and
// refuses paths out of it.
func TestExportFileRoot(t *testing.T) {
	root, other := sandbox(t)
	store := newStore(t)
	a := newTestApp(t, Options{Store: store, FileRoot: root})
	s := trainQuick(t, store)
	sp := a.impl.panes[paneSessions].(*sessionsPane)
	size(a, 120, 30)
	press(a, "5")
	a.Update(sp.refresh()())
	press(a, "e")
	ep := sp.export
	if want := filepath.Join(root, s.Name+".onnx"); ep.path.Value() != want {
		t.Errorf("default path %q, want %q", ep.path.Value(), want)
	}
	for _, p := range []string{filepath.Join(other, "m.onnx"), "../other/m.onnx", "escape/m.onnx", "dangling"} {
		ep.path.SetValue(p)
		a.Update(ep.start()())
		if !strings.Contains(sp.msg, "outside your files folder") && !strings.Contains(sp.msg, "leads nowhere") {
			t.Errorf("export to %s: %q", p, sp.msg)
		}
	}
	if des, _ := os.ReadDir(other); len(des) != 1 {
		t.Errorf("files written outside the root: %v", des)
	}
	ep.path.SetValue("~/m.onnx")
	a.Update(ep.start()())
	if want := "to " + filepath.Join(root, "m.onnx") + " ("; !strings.Contains(sp.msg, want) {
		t.Errorf("message %q, want %q", sp.msg, want)
	}
}

// trainQuick saves a two-epoch iris session named "irisq" in store.
func trainQuick(t *testing.T, store *sessions.Store) *sessions.Session {
	t.Helper()
	h := sessions.DefaultHyper()
	h.Epochs = 2
	pr, err := sessions.Prepare(sessions.Plan{Name: "irisq", DataRef: "iris", Layers: "4:relu", Hyper: h})
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
