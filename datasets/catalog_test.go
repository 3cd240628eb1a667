package datasets

import (
	"strings"
	"testing"
)

// The catalogue's counts are written by hand; they must match what Load
// really returns.
func TestCatalogMatchesData(t *testing.T) {
	cat := Catalog()
	seen := map[string]bool{}
	for _, info := range cat {
		if seen[info.Name] {
			t.Errorf("%s listed twice", info.Name)
		}
		seen[info.Name] = true
		if info.Description == "" || info.Source == "" || info.Ref == "" {
			t.Errorf("%s: missing description, source or ref: %+v", info.Name, info)
		}
		switch info.Kind {
		case "real", "synthetic", "installed":
		default:
			t.Errorf("%s: kind %q", info.Name, info.Kind)
		}
		if info.Kind == "synthetic" && len(info.Params) < 3 {
			t.Errorf("%s: params %v", info.Name, info.Params)
		}
		if info.Kind == "installed" {
			continue // 60,000 images: TestFashionMNIST checks them
		}
		d, err := Load(info.Ref, LoadOptions{})
		if err != nil {
			t.Errorf("%s: Load(%q): %v", info.Name, info.Ref, err)
			continue
		}
		classes := 0
		if d.Task == Classification {
			classes = len(d.ClassNames)
		}
		if d.Rows() != info.Rows || d.Features() != info.Features || classes != info.Classes || d.Task != info.Task {
			t.Errorf("%s: catalogue says %s %d×%d, %d classes; data is %s %d×%d, %d classes",
				info.Name, info.Task, info.Rows, info.Features, info.Classes, d.Task, d.Rows(), d.Features(), classes)
		}
	}
	for _, name := range []string{"iris", "wine", "breast-cancer", "digits", "diabetes", "spiral", "moons", "circles", "xor", "blobs", "sine"} {
		if !seen[name] {
			t.Errorf("catalogue lacks %s", name)
		}
	}
}

func TestUnknownNameListsNames(t *testing.T) {
	_, err := Load("irsi", LoadOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`"irsi"`, "iris", "spiral", "diabetes", `did you mean "iris"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
