package sessions

// Where the home directory is: --home, $WORKBENCH_HOME, $XDG_DATA_HOME, ~.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// HomeDir resolves the home directory: flag, else $WORKBENCH_HOME, else
// $XDG_DATA_HOME/workbench, else ~/.local/share/workbench.
func HomeDir(flag string) (string, error) {
	if flag != "" {
		return expandHome(flag)
	}
	if env := os.Getenv("WORKBENCH_HOME"); env != "" {
		return expandHome(env)
	}
	// The XDG spec says a relative $XDG_DATA_HOME is invalid and ignored.
	if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" && filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "workbench"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a home directory (%v); pass --home DIR or set WORKBENCH_HOME", err)
	}
	return filepath.Join(home, ".local", "share", "workbench"), nil
}

// expandHome turns a leading "~/" into the user's home (a shell does not in
// --home=~/x) and makes the path absolute so messages show where data went.
func expandHome(p string) (string, error) {
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(home, p[1:])
	}
	return filepath.Abs(p)
}
