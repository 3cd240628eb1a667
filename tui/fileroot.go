package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"workbench/datasets"
)

// files turns the paths a user types (open file, its completion, export)
// into paths on disk. Without a root, "~" is the user's home folder and a
// relative path starts in the current folder. With a root (Options.FileRoot,
// set by the SSH host), "~" and relative paths start in the root and any
// path that leads out of it, by "..", an absolute path or a symbolic link,
// is refused: over SSH the program runs as the server's account, which can
// read every user's folder.
type files struct {
	root string // absolute, symbolic links resolved; "" = no confinement
	// maxMemory is the memory budget of every load (Options.MaxMemory).
	maxMemory int64
}

// loadOptions gives opts this program's memory budget, so that every load
// (Data pane, opened session, training) is refused past it.
// With a root, every file the load opens (an IDX labels file beside the
// images too) must resolve inside it, checked before it is opened.
func (f files) loadOptions(opts datasets.LoadOptions) datasets.LoadOptions {
	opts.MaxMemory = f.maxMemory
	if f.confined() {
		opts.Gate = f
	}
	return opts
}

// Allow is datasets.PathGate: a file a load opens must resolve inside the
// root.
func (f files) Allow(path string) error {
	_, err := f.resolve(path)
	return err
}

// newFiles checks root (when set) and resolves its own links, so paths
// under it compare as prefixes.
func newFiles(root string) (files, error) {
	if root == "" {
		return files{}, nil
	}
	abs, err := filepath.Abs(root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return files{}, fmt.Errorf("tui: FileRoot %s: %w", root, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return files{}, fmt.Errorf("tui: FileRoot %s is not a folder", root)
	}
	return files{root: abs}, nil
}

// dir is where a new file goes by default.
func (f files) dir() string {
	if f.root != "" {
		return f.root
	}
	d, err := os.Getwd()
	if err != nil {
		return "."
	}
	return d
}

// confined reports whether typed paths are kept inside a root.
func (f files) confined() bool { return f.root != "" }

// outside is the refusal for a path that leaves the root.
func (f files) outside(typed string) error {
	return fmt.Errorf("%s is outside your files folder %s; only files in it can be used", strings.TrimSpace(typed), f.root)
}

// resolve turns a typed path into an absolute one; with a root, the path
// has its links resolved and must stay inside the root.
func (f files) resolve(typed string) (string, error) {
	p := strings.TrimSpace(typed)
	if p == "" {
		return "", errors.New("no path given")
	}
	base := f.dir()
	if p == "~" || strings.HasPrefix(p, "~/") {
		if f.root == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			base = home
		}
		p = strings.TrimPrefix(p[1:], "/")
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	p = filepath.Clean(p)
	if f.root == "" {
		return p, nil
	}
	if !within(f.root, p) {
		return "", f.outside(typed)
	}
	real, err := realPath(p)
	if err != nil {
		return "", fmt.Errorf("%s: %w", strings.TrimSpace(typed), err)
	}
	if !within(f.root, real) {
		return "", f.outside(typed)
	}
	return real, nil
}

// within reports whether p is root or under it (both clean and absolute).
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// realPath resolves the links of p's existing part; the missing rest (a
// file about to be written) is joined on as it is. A link that exists but
// leads nowhere is an error, not a missing name: writing through it would
// create its target wherever it points.
func realPath(p string) (string, error) {
	r, err := filepath.EvalSymlinks(p)
	if err == nil {
		return r, nil
	}
	if _, lerr := os.Lstat(p); !errors.Is(lerr, fs.ErrNotExist) {
		if lerr == nil {
			return "", errors.New("a link that leads nowhere")
		}
		return "", lerr
	}
	dir := filepath.Dir(p)
	if dir == p {
		return "", err
	}
	rd, err := realPath(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(rd, filepath.Base(p)), nil
}

// complete extends typed to the longest common prefix of the names that
// match it in its folder; choices lists them when there are several (or
// says why there are none). The folder part stays as typed.
func (f files) complete(typed string) (value string, choices []string) {
	dirTyped, prefix := "", typed
	if i := strings.LastIndex(typed, "/"); i >= 0 {
		dirTyped, prefix = typed[:i+1], typed[i+1:]
	}
	look := dirTyped
	if look == "" {
		look = "."
	}
	dir, err := f.resolve(look)
	if err != nil {
		return typed, []string{"(" + err.Error() + ")"}
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return typed, []string{"(no match)"}
	}
	var names []string
	for _, de := range des {
		n := de.Name()
		if !strings.HasPrefix(n, prefix) || (strings.HasPrefix(n, ".") && !strings.HasPrefix(prefix, ".")) {
			continue
		}
		full := filepath.Join(dir, n)
		isDir := de.IsDir()
		if de.Type()&fs.ModeSymlink != 0 {
			real, err := filepath.EvalSymlinks(full)
			if err != nil || (f.root != "" && !within(f.root, real)) {
				continue // never offer what resolve would refuse
			}
			fi, err := os.Stat(real)
			isDir = err == nil && fi.IsDir()
		}
		if isDir {
			n += "/"
		}
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return typed, []string{"(no match)"}
	}
	common := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, common) {
			common = common[:len(common)-1]
		}
	}
	for !utf8.ValidString(common) { // names that differ inside one character
		common = common[:len(common)-1]
	}
	if len(names) == 1 {
		return dirTyped + common, nil
	}
	return dirTyped + common, names
}

// checkRef checks a dataset reference the user typed or a session holds.
// A catalogue name (with its parameters) passes as it is; anything else is
// a path, returned resolved (inside the root when there is one). Without a
// root, only a leading "~" is expanded: relative references stay relative,
// as the CLI stores them.
func (f files) checkRef(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	name, _, _ := strings.Cut(ref, "?")
	if !strings.ContainsAny(name, `/\`) && catalogName(name) {
		return ref, nil
	}
	if f.root == "" && ref != "~" && !strings.HasPrefix(ref, "~/") {
		return ref, nil
	}
	return f.resolve(ref)
}

var catalogNames = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	_ = safely(func() error {
		for _, in := range datasets.Catalog() {
			m[in.Name] = true
		}
		return nil
	})
	return m
})

// catalogName reports whether name is a built-in, synthetic or installed
// dataset, which datasets.Load finds without touching the user's files.
func catalogName(name string) bool { return catalogNames()[name] }
