package datasets

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// kv is one "key=value" pair of a reference's query, in the order given.
type kv struct{ key, value string }

// parseQuery splits "a=1&b=2". net/url's ParseQuery would turn "+" into a
// space and reject ";" with a vaguer message; references are mostly typed
// by people, so the grammar stays small.
func parseQuery(name, q string) ([]kv, error) {
	var pairs []kv
	if q == "" {
		return nil, nil
	}
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%s: parameter %q is not of the form name=value", name, part)
		}
		// Programs build references with url.QueryEscape; undo its %XX
		// escapes but not its '+' for space, which people type in "1e+3".
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		pairs = append(pairs, kv{key: k, value: strings.TrimSpace(v)})
	}
	return pairs, nil
}

// names lists every name Load accepts, for "unknown name" errors.
func names() []string {
	var out []string
	for _, b := range builtins {
		out = append(out, b.name)
	}
	for _, g := range generators {
		out = append(out, g.name)
	}
	if fashionInstalled() {
		out = append(out, fashionName)
	}
	return out
}

func load(ref string, opts LoadOptions) (*Dataset, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, fmt.Errorf("empty dataset reference: want a name (%s), a CSV file or an IDX images file", strings.Join(names(), ", "))
	}
	if opts.Task != "" && opts.Task != Classification && opts.Task != Regression {
		return nil, fmt.Errorf("unknown task %q: want %q or %q", opts.Task, Classification, Regression)
	}
	name, query, hasQuery := strings.Cut(ref, "?")
	if !looksLikePath(ref) {
		if b := findBuiltin(name); b != nil {
			if hasQuery && query != "" {
				return nil, fmt.Errorf("%s takes no parameters (got %q)", name, query)
			}
			return b.load()
		}
		if g := findGenerator(name); g != nil {
			pairs, err := parseQuery(name, query)
			if err != nil {
				return nil, err
			}
			return g.load(pairs)
		}
		if name == fashionName {
			pairs, err := parseQuery(name, query)
			if err != nil {
				return nil, err
			}
			return loadFashion(pairs)
		}
	}
	if _, err := os.Stat(ref); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if looksLikePath(ref) {
				return nil, fmt.Errorf("dataset file %s does not exist", ref)
			}
			return nil, unknownName(ref)
		}
		return nil, fmt.Errorf("dataset %s: %w", ref, err)
	}
	return loadFile(ref, opts)
}

// looksLikePath is true for references that can only mean a file, so that
// a typo in a path is reported as a missing file, not an unknown name.
func looksLikePath(ref string) bool {
	if strings.ContainsAny(ref, `/\`) {
		return true
	}
	switch strings.ToLower(filepath.Ext(strings.TrimSuffix(ref, ".gz"))) {
	case ".csv", ".tsv", ".txt", ".data", ".idx", ".ubyte", ".idx1-ubyte", ".idx3-ubyte":
		return true
	}
	return strings.HasSuffix(ref, ".gz") || strings.Contains(ref, "-ubyte")
}

func unknownName(ref string) error {
	all := names()
	msg := fmt.Sprintf("unknown dataset %q: known names are %s; or give a CSV file or an IDX images file path", ref, strings.Join(all, ", "))
	if s := closest(strings.ToLower(ref), all); s != "" {
		msg = fmt.Sprintf("unknown dataset %q (did you mean %q?): known names are %s; or give a CSV file or an IDX images file path", ref, s, strings.Join(all, ", "))
	}
	return errors.New(msg)
}

// closest suggests a known name within two edits of a typo.
func closest(s string, candidates []string) string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, c := range candidates {
		if d := editDistance(s, c); d <= 2 {
			cs = append(cs, cand{c, d})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	return cs[0].name
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
