package sessions

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSessionJSON: any session.json beside good weights loads and passes
// the shared validation, or is refused, the same way by List and Load;
// never a panic (issue 14's campaign). Run:
//
//	go test ./sessions -run '^$' -fuzz '^FuzzSessionJSON$' -fuzztime 10m
func FuzzSessionJSON(f *testing.F) {
	st := openStore(f)
	s := trained(f, st, "fuzz", 1)
	good, err := os.ReadFile(filepath.Join(st.Dir, s.ID, metaFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":99}`))
	f.Add([]byte(`{"version":1,"data":{"features":["a"]},"scaler":{"mean":[0],"std":[0]}}`))
	path := filepath.Join(st.Dir, s.ID, metaFile)
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		loaded, lerr := st.Load(s.ID)
		entries, err := st.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.ID == s.ID && (e.Damaged == "") != (lerr == nil) {
				t.Fatalf("listed damaged=%q but Load error %v", e.Damaged, lerr)
			}
		}
		if lerr == nil {
			if err := loaded.Scaler.Validate(loaded.Data.Features); err != nil {
				t.Fatalf("loaded with a bad scaler: %v", err)
			}
		}
	})
}
