package tui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// files turns the paths a user types (open file, export) into paths on
// disk: "~" is the user's home folder and a relative path starts in the
// current folder.
type files struct{}

// dir is where a new file goes by default.
func (f files) dir() string {
	d, err := os.Getwd()
	if err != nil {
		return "."
	}
	return d
}

// resolve turns a typed path into an absolute one.
func (f files) resolve(typed string) (string, error) {
	p := strings.TrimSpace(typed)
	if p == "" {
		return "", errors.New("no path given")
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(f.dir(), p)
	}
	return filepath.Clean(p), nil
}
