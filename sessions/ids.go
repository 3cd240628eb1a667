package sessions

// Session ids: what a valid one is, how a new one is made from the creation
// time and a slug of the name or dataset, and the time an id records.

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// checkID refuses ids that are not a plain folder name of this store.
func checkID(id string) error {
	if id == "" || id == "." || id == ".." || strings.HasPrefix(id, ".") ||
		strings.ContainsAny(id, `/\`+"\x00") || len(id) > 200 {
		return fmt.Errorf("%q is not a session id", id)
	}
	return nil
}

// newID makes an id that sorts by creation time and reads well:
// 20261130-154233-iris (UTC, so ids from several machines sort together).
func newID(created time.Time, name, ref string) string {
	slug := slugify(name)
	if slug == "" {
		slug = slugify(refBase(ref))
	}
	if slug == "" {
		slug = "session"
	}
	return created.UTC().Format(idTime) + "-" + slug
}

// uniqueID adds -2, -3, ... when two sessions of one name start in the same
// second. The caller holds the lock, so no other writer can take the id.
func (st *Store) uniqueID(base string) string {
	id := base
	for n := 2; pathTaken(filepath.Join(st.Dir, id)); n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

func pathTaken(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 32 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// refBase is the readable part of a dataset reference: "spiral" for
// "spiral?n=600", "data" for "./path/data.csv".
func refBase(ref string) string {
	if i := strings.IndexByte(ref, '?'); i >= 0 {
		ref = ref[:i]
	}
	base := filepath.Base(ref)
	for _, ext := range []string{".gz", ".csv", ".tsv", ".txt"} {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}

// created is when the session began: from session.json, else from its id.
func (e Entry) created() time.Time {
	if e.Session != nil && !e.Session.Created.IsZero() {
		return e.Session.Created
	}
	if !e.at.IsZero() {
		return e.at
	}
	if len(e.ID) >= len(idTime) {
		if t, err := time.Parse(idTime, e.ID[:len(idTime)]); err == nil {
			return t
		}
	}
	return time.Time{}
}
