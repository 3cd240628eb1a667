package sessions

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkUniqueName: the names a new session's Save reads, in a store of
// 300 digits sessions (64 features, a 7 KB session.json). Measured on 2
// shared cores: head 9-17 ms, whole files 52-92 ms (3 runs of 20).
func BenchmarkUniqueName(b *testing.B) {
	st := openStore(b)
	pr := prepare(b, Plan{DataRef: "digits", Name: "base"})
	if err := st.Save(pr.Session); err != nil {
		b.Fatal(err)
	}
	meta, err := os.ReadFile(filepath.Join(st.Dir, pr.Session.ID, metaFile))
	if err != nil {
		b.Fatal(err)
	}
	for i := range 300 {
		dir := filepath.Join(st.Dir, fmt.Sprintf("s%03d", i))
		os.Mkdir(dir, 0o755)
		m := strings.Replace(string(meta), `"name": "base"`, fmt.Sprintf(`"name": "digits-%d"`, i+1), 1)
		os.WriteFile(filepath.Join(dir, metaFile), []byte(m), 0o644)
	}
	b.Run("head", func(b *testing.B) {
		for b.Loop() {
			if got := st.uniqueName("digits"); got != "digits" {
				b.Fatal(got)
			}
		}
	})
	b.Run("whole-file", func(b *testing.B) { // what it did before reading only the head
		for b.Loop() {
			des, _ := os.ReadDir(st.Dir)
			for _, d := range des {
				bs, _ := readBounded(filepath.Join(st.Dir, d.Name(), metaFile), maxMetaBytes)
				var m struct {
					Name string `json:"name"`
				}
				json.Unmarshal(bs, &m)
			}
		}
	})
}
