package sessions

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExportWritesOnlyRegularFiles: export -o over a device, a FIFO, a
// socket or a folder is refused and leaves it as it was; an existing file
// keeps its mode; a link to a regular file stays a link (issue 14 item 5).
func TestExportWritesOnlyRegularFiles(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "iris", 1)
	dir := t.TempDir()

	devLink := filepath.Join(dir, "null.json") // a link to a character device
	if err := os.Symlink(os.DevNull, devLink); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.json")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	folder := filepath.Join(dir, "folder.json")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{devLink: "character device", fifo: "named pipe", sock: "socket", folder: "folder"} {
		before, _ := os.Lstat(path)
		_, err := Export(s, "json", path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming a %s", filepath.Base(path), err, want)
		}
		after, err := os.Lstat(path)
		if err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s: was %v, now %v (%v)", filepath.Base(path), before.Mode(), after.Mode(), err)
		}
	}

	private := filepath.Join(dir, "private.json")
	if err := os.WriteFile(private, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(s, "json", private); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(private); fi.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0600 file came back %v", fi.Mode().Perm())
	}

	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(private, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(s, "json", link); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("exporting through a link replaced the link with a file")
	}
	if b, _ := os.ReadFile(private); len(b) < 10 {
		t.Errorf("the link's target was not written: %q", b)
	}

	fresh := filepath.Join(dir, "new.json")
	if _, err := Export(s, "json", fresh); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o644 {
		t.Errorf("a new file is %v, want 0644", fi.Mode().Perm())
	}
}
