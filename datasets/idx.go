package datasets

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	idxImagesMagic = 0x00000803 // unsigned bytes, 3 dimensions
	idxLabelsMagic = 0x00000801 // unsigned bytes, 1 dimension
	maxIDXPixels   = 1 << 16    // per image: 256×256
)

const fashionName = "fashion-mnist"

// fashionDir is where Debian's dataset-fashion-mnist package puts the files;
// a variable so that tests can point it at files they write.
var fashionDir = "/usr/share/datasets/fashion-mnist"

const (
	fashionTrainRows   = 60000
	fashionDescription = "Zalando article images, 28x28 greyscale, 10 kinds of clothing"
)

var fashionClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

func fashionSource() string {
	return "Zalando Research (MIT licence), Debian package dataset-fashion-mnist in " + fashionDir
}

// findBeside returns the path of stem in dir, gzipped or not, or "".
func findBeside(dir, stem string) string {
	for _, name := range []string{stem + ".gz", stem} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

func fashionInstalled() bool {
	return findBeside(fashionDir, "train-images-idx3-ubyte") != ""
}

func loadFashion(pairs []kv) (*Dataset, error) {
	split := "train"
	for _, p := range pairs {
		if p.key != "split" {
			return nil, fmt.Errorf("%s: unknown parameter %q (parameters: split)", fashionName, p.key)
		}
		if p.value != "train" && p.value != "test" {
			return nil, fmt.Errorf("%s: bad value %q for split: want train or test", fashionName, p.value)
		}
		split = p.value
	}
	stem := "train-images-idx3-ubyte"
	if split == "test" {
		stem = "t10k-images-idx3-ubyte"
	}
	path := findBeside(fashionDir, stem)
	if path == "" {
		return nil, fmt.Errorf("%s is not installed: %s not found in %s (install the Debian package: apt-get install dataset-fashion-mnist)", fashionName, stem+".gz", fashionDir)
	}
	raw, err := readFile(path)
	if err != nil {
		return nil, err
	}
	d, err := loadIDXImages(path, raw, fashionClasses)
	if err != nil {
		return nil, err
	}
	d.Name = fashionName
	d.Ref = fashionName + "?split=" + split
	d.Description = fashionDescription + " (" + split + " set)"
	d.Source = fashionSource()
	return d, nil
}

// labelsPathFor finds the labels file that goes with an images file:
// train-images-idx3-ubyte[.gz] → train-labels-idx1-ubyte[.gz], and more
// generally "images" → "labels" (and "idx3" → "idx1") in the name.
func labelsPathFor(imagesPath string) (string, error) {
	dir, base := filepath.Split(imagesPath)
	stem := strings.TrimSuffix(base, ".gz")
	if !strings.Contains(stem, "images") {
		return "", fmt.Errorf("%s: cannot tell where its labels are: an IDX images file's name must contain \"images\" (the labels file has \"labels\" in its place, e.g. train-images-idx3-ubyte → train-labels-idx1-ubyte)", imagesPath)
	}
	labels := strings.Replace(stem, "images", "labels", 1)
	var tried []string
	for _, cand := range []string{strings.Replace(labels, "idx3", "idx1", 1), labels} {
		if p := findBeside(dir, cand); p != "" {
			return p, nil
		}
		tried = append(tried, filepath.Join(dir, cand)+"[.gz]")
	}
	return "", fmt.Errorf("%s: labels file not found (looked for %s)", imagesPath, strings.Join(tried, " and "))
}

// loadIDXImages decodes an images file (already read and gunzipped) and the
// labels file beside it. classNames, if given, names the classes; else they
// are "0".."max label".
func loadIDXImages(path string, raw []byte, classNames []string) (*Dataset, error) {
	n, rows, cols, pixels, err := parseIDXImages(path, raw)
	if err != nil {
		return nil, err
	}
	labelsPath, err := labelsPathFor(path)
	if err != nil {
		return nil, err
	}
	rawLabels, err := readFile(labelsPath)
	if err != nil {
		return nil, err
	}
	labels, err := parseIDXLabels(labelsPath, rawLabels)
	if err != nil {
		return nil, err
	}
	if len(labels) != n {
		return nil, &FileError{File: labelsPath, Kind: ErrBadIDX,
			Detail: fmt.Sprintf("%d labels, but %s has %d images", len(labels), filepath.Base(path), n)}
	}
	maxLabel := 0
	for _, l := range labels {
		maxLabel = max(maxLabel, int(l))
	}
	if classNames == nil {
		classNames = make([]string, maxLabel+1)
		for i := range classNames {
			classNames[i] = strconv.Itoa(i)
		}
	} else if maxLabel >= len(classNames) {
		return nil, &FileError{File: labelsPath, Kind: ErrBadIDX,
			Detail: fmt.Sprintf("label %d, but there are only %d classes", maxLabel, len(classNames))}
	}
	// A table gives exact b/255 without a division per pixel.
	var scale [256]float64
	for i := range scale {
		scale[i] = float64(i) / 255
	}
	x := make([]float64, len(pixels))
	for i, b := range pixels {
		x[i] = scale[b]
	}
	y := make([]float64, n)
	for i, l := range labels {
		y[i] = float64(l)
	}
	return &Dataset{
		Task:         Classification,
		X:            newDense(n, rows*cols, x),
		Y:            newDense(n, 1, y),
		FeatureNames: pixelNames(rows, cols),
		ClassNames:   append([]string(nil), classNames...),
		Description:  fmt.Sprintf("%d images of %dx%d pixels, %d classes", n, rows, cols, len(classNames)),
	}, nil
}

func parseIDXImages(path string, raw []byte) (n, rows, cols int, pixels []byte, err error) {
	bad := func(format string, a ...any) (int, int, int, []byte, error) {
		return 0, 0, 0, nil, &FileError{File: path, Kind: ErrBadIDX, Detail: fmt.Sprintf(format, a...)}
	}
	if len(raw) < 4 {
		return bad("%d bytes is too short for an images header (16 bytes)", len(raw))
	}
	magic := binary.BigEndian.Uint32(raw)
	if magic == idxLabelsMagic {
		return bad("this is a labels file (magic 0x%08x); give the images file, the labels are found beside it", magic)
	}
	if magic != idxImagesMagic {
		return bad("magic number 0x%08x, want 0x%08x (unsigned-byte images with 3 dimensions)", magic, idxImagesMagic)
	}
	if len(raw) < 16 {
		return bad("%d bytes is too short for an images header (16 bytes)", len(raw))
	}
	nn := uint64(binary.BigEndian.Uint32(raw[4:]))
	rr := uint64(binary.BigEndian.Uint32(raw[8:]))
	cc := uint64(binary.BigEndian.Uint32(raw[12:]))
	if nn == 0 || rr == 0 || cc == 0 {
		return bad("header says %d images of %dx%d pixels; none may be zero", nn, rr, cc)
	}
	if rr*cc > maxIDXPixels {
		return bad("images of %dx%d pixels are larger than the %d pixels supported", rr, cc, maxIDXPixels)
	}
	want := 16 + nn*rr*cc
	if uint64(len(raw)) != want {
		return bad("header says %d images of %dx%d pixels (%d bytes), but the file holds %d bytes", nn, rr, cc, want, len(raw))
	}
	return int(nn), int(rr), int(cc), raw[16:], nil
}

func parseIDXLabels(path string, raw []byte) ([]byte, error) {
	bad := func(format string, a ...any) ([]byte, error) {
		return nil, &FileError{File: path, Kind: ErrBadIDX, Detail: fmt.Sprintf(format, a...)}
	}
	if len(raw) < 8 {
		return bad("%d bytes is too short for a labels header (8 bytes)", len(raw))
	}
	if magic := binary.BigEndian.Uint32(raw); magic != idxLabelsMagic {
		return bad("magic number 0x%08x, want 0x%08x (unsigned-byte labels with 1 dimension)", magic, idxLabelsMagic)
	}
	n := uint64(binary.BigEndian.Uint32(raw[4:]))
	if uint64(len(raw)) != 8+n {
		return bad("header says %d labels (%d bytes), but the file holds %d bytes", n, 8+n, len(raw))
	}
	return raw[8:], nil
}
