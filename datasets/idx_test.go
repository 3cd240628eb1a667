package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func idxImages(n, rows, cols int, pix func(i, p int) byte) []byte {
	var b bytes.Buffer
	for _, v := range []uint32{idxImagesMagic, uint32(n), uint32(rows), uint32(cols)} {
		binary.Write(&b, binary.BigEndian, v)
	}
	for i := range n {
		for p := range rows * cols {
			b.WriteByte(pix(i, p))
		}
	}
	return b.Bytes()
}

func idxLabels(labels ...byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(idxLabelsMagic))
	binary.Write(&b, binary.BigEndian, uint32(len(labels)))
	b.Write(labels)
	return b.Bytes()
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func writeIn(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIDXRoundTrip(t *testing.T) {
	pix := func(i, p int) byte { return byte(i*40 + p*51) }
	images := idxImages(5, 3, 2, pix)
	labels := idxLabels(3, 0, 1, 3, 0)
	tests := []struct {
		name             string
		imgName, lblName string
		img, lbl         []byte
	}{
		{"raw", "train-images-idx3-ubyte", "train-labels-idx1-ubyte", images, labels},
		{"gzipped", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", gz(images), gz(labels)},
		{"gzipped images, raw labels", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte", gz(images), labels},
		{"generic names", "my-images.idx", "my-labels.idx", images, labels},
		{"gzip under a plain name", "digits_images", "digits_labels", gz(images), gz(labels)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeIn(t, dir, tt.imgName, tt.img)
			writeIn(t, dir, tt.lblName, tt.lbl)
			d, err := Load(path, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Rows() != 5 || d.Features() != 6 || d.Task != Classification {
				t.Fatalf("%d×%d %s", d.Rows(), d.Features(), d.Task)
			}
			// Classes are the labels present: 2 is not one (issue 14 item 10).
			if !slices.Equal(d.ClassNames, []string{"0", "1", "3"}) {
				t.Errorf("classes %q", d.ClassNames)
			}
			if !slices.Equal(d.FeatureNames, []string{"pixel 0,0", "pixel 0,1", "pixel 1,0", "pixel 1,1", "pixel 2,0", "pixel 2,1"}) {
				t.Errorf("features %q", d.FeatureNames)
			}
			for i := range 5 {
				for p := range 6 {
					if got, want := d.X.At(i, p), float64(pix(i, p))/255; got != want {
						t.Fatalf("pixel %d of image %d = %v, want %v", p, i, got, want)
					}
				}
				if got, want := d.ClassNames[int(d.Y.At(i, 0))], strconv.Itoa(int(labels[8+i])); got != want {
					t.Errorf("label %d = %v", i, got)
				}
			}
			if !slices.Equal(d.ClassCounts(), []int{2, 1, 2}) {
				t.Errorf("class counts %v", d.ClassCounts())
			}
			if d.Ref != path || d.Name != tt.imgName[:len(tt.imgName)-len(filepath.Ext(tt.imgName))] && !strings.HasPrefix(tt.imgName, d.Name) {
				t.Errorf("ref %q name %q", d.Ref, d.Name)
			}
		})
	}
}

func TestIDXErrors(t *testing.T) {
	good := idxImages(3, 2, 2, func(i, p int) byte { return byte(i + p) })
	goodLabels := idxLabels(0, 1, 2)
	corrupt := func(b []byte, off int, v uint32) []byte {
		c := slices.Clone(b)
		binary.BigEndian.PutUint32(c[off:], v)
		return c
	}
	tests := []struct {
		name     string
		img, lbl []byte
		imgName  string
		noLabels bool
		want     string
	}{
		{"wrong magic", corrupt(good, 0, 0x00000804), goodLabels, "", false, "magic number 0x00000804"},
		{"labels given as images", goodLabels, goodLabels, "", false, "this is a labels file"},
		{"float images", corrupt(good, 0, 0x00000d03), goodLabels, "", false, "magic number 0x00000d03"},
		{"zero images", corrupt(good, 4, 0), goodLabels, "", false, "none may be zero"},
		{"zero rows", corrupt(good, 8, 0), goodLabels, "", false, "none may be zero"},
		{"truncated pixels", good[:len(good)-1], goodLabels, "", false, "but the file holds 27 bytes"},
		{"extra pixels", append(slices.Clone(good), 7), goodLabels, "", false, "but the file holds 29 bytes"},
		{"count larger than file", corrupt(good, 4, 1<<31), goodLabels, "", false, "2147483648 images"},
		{"huge images", corrupt(corrupt(good, 8, 1<<16), 12, 1<<16), goodLabels, "", false, "larger than"},
		{"short header", good[:10], goodLabels, "", false, "too short for an images header"},
		{"labels count differs", good, idxLabels(0, 1), "", false, "2 labels, but train-images-idx3-ubyte"},
		{"labels wrong magic", good, corrupt(goodLabels, 0, 0x00000803), "", false, "magic number 0x00000803, want 0x00000801"},
		{"labels truncated", good, goodLabels[:len(goodLabels)-1], "", false, "header says 3 labels"},
		{"labels short header", good, goodLabels[:5], "", false, "too short for a labels header"},
		{"no labels file", good, nil, "", true, "labels file not found"},
		{"name without images", good, goodLabels, "scans.idx", false, `must contain "images"`},
	}
	for _, tt := range tests {
		for _, zipped := range []bool{false, true} {
			t.Run(tt.name+map[bool]string{false: "", true: " (gzipped)"}[zipped], func(t *testing.T) {
				checkIDXError(t, tt.img, tt.lbl, tt.imgName, tt.noLabels, tt.want, zipped)
			})
		}
	}
	// Gzip streams the header's size is checked against: a multi-member
	// file is valid, junk after the pixels or a broken checksum are not.
	pixels := good[16:]
	multi := append(gz(good[:16+6]), gz(pixels[6:])...)
	junk := append(gz(good), gz(good)...) // second member's trailer says 28 bytes
	badCRC := gz(good)
	badCRC[len(badCRC)-8] ^= 0xff
	for _, tt := range []struct {
		name string
		img  []byte
		want string
	}{
		{"multi-member", multi, ""},
		{"junk after pixels", junk, "but the file holds more"},
		{"bad checksum", badCRC, "checksum"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeIn(t, dir, "train-images-idx3-ubyte.gz", tt.img)
			writeIn(t, dir, "train-labels-idx1-ubyte", goodLabels)
			d, err := Load(path, LoadOptions{})
			if tt.want == "" {
				if err != nil || d.Rows() != 3 || d.X.At(2, 3) != float64(2+3)/255 {
					t.Fatalf("%v %v", d, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
		})
	}
	// Options that make no sense for IDX are refused, not ignored.
	dir := t.TempDir()
	path := writeIn(t, dir, "train-images-idx3-ubyte", good)
	writeIn(t, dir, "train-labels-idx1-ubyte", goodLabels)
	if _, err := Load(path, LoadOptions{Task: Regression}); err == nil {
		t.Error("IDX loaded for regression")
	}
	if _, err := Load(path, LoadOptions{Target: "3"}); err == nil {
		t.Error("IDX loaded with a target column")
	}
}

func checkIDXError(t *testing.T, img, lbl []byte, imgName string, noLabels bool, want string, zipped bool) {
	t.Helper()
	dir := t.TempDir()
	name, lname := imgName, "train-labels-idx1-ubyte"
	if name == "" {
		name = "train-images-idx3-ubyte"
	}
	if zipped {
		img, lbl, name, lname = gz(img), gz(lbl), name+".gz", lname+".gz"
		if strings.Contains(want, "holds") {
			want = "header says" // the gzip path counts differently
		}
	}
	path := writeIn(t, dir, name, img)
	if !noLabels {
		writeIn(t, dir, lname, lbl)
	}
	_, err := Load(path, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err %v, want %q", err, want)
	}
	if strings.Contains(want, "magic") || strings.Contains(want, "header") || strings.Contains(want, "holds") {
		if !errors.Is(err, ErrBadIDX) {
			t.Errorf("%v is not ErrBadIDX", err)
		}
	}
}

// withFashionDir points the Fashion-MNIST location elsewhere for one test.
func withFashionDir(t *testing.T, dir string) {
	old := fashionDir
	fashionDir = dir
	t.Cleanup(func() { fashionDir = old })
}

func TestFashionInstalledDetection(t *testing.T) {
	dir := t.TempDir()
	withFashionDir(t, dir)
	listed := func() bool {
		for _, info := range Catalog() {
			if info.Name == fashionName {
				return info.Kind == "installed"
			}
		}
		return false
	}
	if listed() {
		t.Fatal("listed with no files")
	}
	if _, err := Load("fashion-mnist", LoadOptions{}); err == nil || !strings.Contains(err.Error(), "apt-get install dataset-fashion-mnist") {
		t.Fatalf("missing package: %v", err)
	}
	if _, err := Load("fashon-mnist", LoadOptions{}); err == nil || strings.Contains(err.Error(), "fashion-mnist,") {
		t.Fatalf("unknown-name list offers an absent dataset: %v", err)
	}
	pix := func(i, p int) byte { return byte(i) }
	writeIn(t, dir, "train-images-idx3-ubyte.gz", gz(idxImages(4, 28, 28, pix)))
	writeIn(t, dir, "train-labels-idx1-ubyte.gz", gz(idxLabels(9, 0, 5, 9)))
	writeIn(t, dir, "t10k-images-idx3-ubyte.gz", gz(idxImages(2, 28, 28, pix)))
	writeIn(t, dir, "t10k-labels-idx1-ubyte.gz", gz(idxLabels(1, 2)))
	if !listed() {
		t.Fatal("not listed with files present")
	}
	d, err := Load("fashion-mnist", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Rows() != 4 || d.Features() != 784 || d.Ref != "fashion-mnist?split=train" || !slices.Equal(d.ClassNames, fashionClasses) {
		t.Errorf("train: %d×%d ref %q classes %q", d.Rows(), d.Features(), d.Ref, d.ClassNames)
	}
	// The same files loaded by path keep the real class names.
	d, err = Load(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), LoadOptions{})
	if err != nil || !slices.Equal(d.ClassNames, fashionClasses) {
		t.Errorf("by path: %v %v", d, err)
	}
	d, err = Load("fashion-mnist?split=test", LoadOptions{})
	if err != nil || d.Rows() != 2 || d.Ref != "fashion-mnist?split=test" {
		t.Errorf("test split: %v %v", d, err)
	}
	for _, ref := range []string{"fashion-mnist?split=val", "fashion-mnist?n=3"} {
		if _, err := Load(ref, LoadOptions{}); err == nil {
			t.Errorf("%s loaded", ref)
		}
	}
}

func TestFashionMNIST(t *testing.T) {
	if !fashionInstalled() {
		t.Skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
	}
	var info Info
	for _, i := range Catalog() {
		if i.Name == fashionName {
			info = i
		}
	}
	for _, tt := range []struct {
		ref      string
		rows     int
		perClass int
	}{
		{"fashion-mnist", info.Rows, 6000},
		{"fashion-mnist?split=test", 10000, 1000},
	} {
		if raceEnabled && tt.rows > 10000 {
			continue
		}
		d, err := Load(tt.ref, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Rows() != tt.rows || d.Features() != info.Features || len(d.ClassNames) != info.Classes || d.ClassNames[9] != "Ankle boot" {
			t.Fatalf("%s: %d×%d, %q; catalogue says %d×%d, %d classes", tt.ref, d.Rows(), d.Features(), d.ClassNames, info.Rows, info.Features, info.Classes)
		}
		for c, n := range d.ClassCounts() {
			if n != tt.perClass {
				t.Errorf("%s: class %s has %d images, want %d", tt.ref, d.ClassNames[c], n, tt.perClass)
			}
		}
		lo, hi := 1.0, 0.0
		for _, v := range d.X.RawMatrix().Data {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo != 0 || hi != 1 {
			t.Errorf("%s: pixels in [%v, %v], want [0, 1]", tt.ref, lo, hi)
		}
	}
}

func FuzzParseIDX(f *testing.F) {
	f.Add(idxImages(2, 2, 2, func(i, p int) byte { return byte(p) }), idxLabels(0, 1))
	f.Add([]byte{0, 0, 8, 3, 0, 0, 0, 1}, []byte{0, 0, 8, 1})
	f.Fuzz(func(t *testing.T, img, lbl []byte) {
		n, r, c, pix, err := parseIDXImages("i", img)
		if err == nil && (n < 1 || r < 1 || c < 1 || len(pix) != n*r*c) {
			t.Fatalf("accepted %d×%d×%d with %d pixels", n, r, c, len(pix))
		}
		labels, err := parseIDXLabels("l", lbl)
		if err == nil && len(labels) != len(lbl)-8 {
			t.Fatalf("accepted %d labels from %d bytes", len(labels), len(lbl))
		}
	})
}
