package sessions

// Unique default names: a run nobody named is called after its dataset, and
// the second such run must not read the same in every table. The name is
// decided when the session is first saved, under the store's lock, so two
// processes saving at once never pick the same one.

import (
	"bytes"
	"encoding/json"
	"io"
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
		if name, ok := storedName(filepath.Join(st.Dir, d.Name(), metaFile)); ok && name != "" {
			taken[strings.ToLower(name)] = true
		}
	}
	return taken
}

// nameHead is how much of a session.json storedName reads first: the name
// is its third key, after the version and the id.
const nameHead = 4096

// storedName reads the name a session.json holds. It reads the head of the
// file only (a Fashion-MNIST session.json is tens of kilobytes, most of it
// the scaler), and the whole file if the name is not among the leading
// plain values.
func storedName(path string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	head := make([]byte, nameHead)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if name, ok := nameInHead(head[:n]); ok {
		return name, true
	}
	b, err := readBounded(path, maxMetaBytes)
	if err != nil {
		return "", false
	}
	var m struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(b, &m) != nil {
		return "", false
	}
	return m.Name, true
}

// nameInHead finds "name" among the first keys of a JSON object whose
// values before it are plain (numbers, strings).
func nameInHead(head []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return "", false
		}
		v, err := dec.Token()
		if err != nil {
			return "", false
		}
		if _, plain := v.(json.Delim); plain {
			return "", false // an object or array: give up on the head
		}
		if k == "name" {
			s, ok := v.(string)
			return s, ok
		}
	}
	return "", false
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
