package sessions

// Unique default names: a run nobody named is called after its dataset, and
// the second such run must not read the same in every table. The name is
// decided when the session is first saved, under the store's lock, so two
// processes saving at once never pick the same one.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// takenNames reads the name of every session in the store (damaged ones
// too, when their session.json still says). The caller holds the lock.
func (st *Store) takenNames() map[string]bool {
	taken := map[string]bool{}
	des, err := os.ReadDir(st.Dir)
	if err != nil {
		return taken
	}
	for _, d := range des {
		if strings.HasPrefix(d.Name(), ".") || !d.IsDir() {
			continue
		}
		b, err := readBounded(filepath.Join(st.Dir, d.Name(), metaFile), maxMetaBytes)
		if err != nil {
			continue
		}
		var m struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(b, &m) == nil && m.Name != "" {
			taken[strings.ToLower(m.Name)] = true
		}
	}
	return taken
}

// uniqueName is base if no session is called that (case-insensitively),
// else base-2, base-3, ... the first free one. The caller holds the lock.
func (st *Store) uniqueName(base string) string {
	taken := st.takenNames()
	if !taken[strings.ToLower(base)] {
		return base
	}
	for n := 2; ; n++ {
		name := base + "-" + strconv.Itoa(n)
		if !taken[strings.ToLower(name)] {
			return name
		}
	}
}
