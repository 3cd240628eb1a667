package datasets

import (
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for the loaders (issue 14's campaign). Seeds are in
// testdata/fuzz/<target>/ and in f.Add; run one with e.g.
//
//	go test ./datasets -run '^$' -fuzz '^FuzzCSV$' -fuzztime 10m
//
// Every input must load or fail with an error within the small budget:
// no panic, no allocation past it.

const fuzzBudget = 32 << 20

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b,y\n1,2,0\n3,4,1\n", "x;y\n1,5;a\n2,5;b\n", "\"q\"\"x\",y\n1,2\n", "1\t2\n3\t4\n",
		"a,b\n\n\n\n1,2\n", "0x1p3,1_0,y\n1,2,3\n", "a,y,y\n1,2,3\n", "1e308,1.7e308,0\n-1e308,1,1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseCSV("fuzz.csv", b, LoadOptions{MaxMemory: fuzzBudget, DropMissing: len(b)%2 == 0})
		if err == nil && (d.X == nil || d.Y == nil || d.Rows() == 0) {
			t.Fatalf("loaded with no rows: %+v", d)
		}
	})
}

// FuzzGzipCSV feeds the gzip path: the bytes are a file, gunzipped on the
// fly when they start with the gzip magic.
func FuzzGzipCSV(f *testing.F) {
	f.Add(gz([]byte("a,b,y\n1,2,0\n3,4,1\n")))
	f.Add(gz([]byte("c1,c2,c3\n\n\n\n\n")))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "in.csv.gz")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		Load(p, LoadOptions{MaxMemory: fuzzBudget})
	})
}

// FuzzIDX feeds an images file and a labels file beside it.
func FuzzIDX(f *testing.F) {
	f.Add(idxImages(2, 2, 2, func(i, p int) byte { return byte(i + p) }), idxLabels(0, 1), false)
	f.Add(gz(idxImages(1, 1, 1, func(int, int) byte { return 7 })), gz(idxLabels(255)), true)
	f.Add([]byte{0, 0, 8, 3, 0, 0, 0x7f, 0xff, 1, 0, 0, 0, 1, 0, 0, 0}, idxLabels(1), false)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, images, labels []byte, gzipped bool) {
		ext := ""
		if gzipped {
			ext = ".gz"
		}
		p := filepath.Join(dir, "f-images-idx3-ubyte"+ext)
		os.Remove(filepath.Join(dir, "f-images-idx3-ubyte"))
		os.Remove(filepath.Join(dir, "f-images-idx3-ubyte.gz"))
		if err := os.WriteFile(p, images, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "f-labels-idx1-ubyte"), labels, 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := Load(p, LoadOptions{MaxMemory: fuzzBudget})
		if err == nil && d.Outputs() != len(d.ClassNames) {
			t.Fatalf("%d outputs, %d class names", d.Outputs(), len(d.ClassNames))
		}
	})
}
