package datasets

import (
	"encoding/binary"
	"fmt"
	"io"
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
	df, err := openData(path)
	if err != nil {
		return nil, err
	}
	defer df.Close()
	d, err := loadIDXImages(df, fashionClasses, newBudget(path, LoadOptions{}))
	if err != nil {
		return nil, err
	}
	d.Name = fashionName
	d.Ref = fashionName + "?split=" + split
	if split == "train" && findBeside(fashionDir, "t10k-images-idx3-ubyte") != "" {
		d.TestRef = fashionName + "?split=test"
	}
	d.Description = fashionDescription + " (" + split + " set)"
	d.Source = fashionSource()
	return d, nil
}

// testPairFor is the t10k-* images file published beside a train-*
// images file (with its labels), or "" when there is none.
func testPairFor(imagesPath string) string {
	dir, base := filepath.Split(imagesPath)
	if !strings.HasPrefix(base, "train-") {
		return ""
	}
	test := filepath.Join(dir, "t10k-"+strings.TrimPrefix(base, "train-"))
	if st, err := os.Stat(test); err != nil || !st.Mode().IsRegular() {
		return ""
	}
	if _, err := labelsPathFor(test); err != nil {
		return ""
	}
	return test
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

// loadIDXImages decodes an open images file and the labels file beside it.
// classNames, if given, names the classes; else they are "0".."max label".
func loadIDXImages(df *dataFile, classNames []string, b budget) (*Dataset, error) {
	path := df.path
	n, rows, cols, x, err := readIDXImages(df, b)
	if err != nil {
		return nil, err
	}
	labelsPath, err := labelsPathFor(path)
	if err != nil {
		return nil, err
	}
	rawLabels, err := readFile(labelsPath, b)
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
	var present [256]bool
	for _, l := range labels {
		maxLabel = max(maxLabel, int(l))
		present[l] = true
	}
	// Class of each label: itself with known names, else its rank among
	// the labels present (0, 1 and 255 are three classes, not 256).
	var class [256]int
	if classNames == nil {
		for l, ok := range present {
			if ok {
				class[l] = len(classNames)
				classNames = append(classNames, strconv.Itoa(l))
			}
		}
	} else if maxLabel >= len(classNames) {
		return nil, &FileError{File: labelsPath, Kind: ErrBadIDX,
			Detail: fmt.Sprintf("label %d, but there are only %d classes", maxLabel, len(classNames))}
	} else {
		for l := range class {
			class[l] = l
		}
	}
	y := make([]float64, n)
	for i, l := range labels {
		y[i] = float64(class[l])
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

// pixelScale gives exact b/255 without a division per pixel.
var pixelScale = func() (t [256]float64) {
	for i := range t {
		t[i] = float64(i) / 255
	}
	return t
}()

func scalePixels(dst []float64, src []byte) {
	dst = dst[:len(src)]
	for i, b := range src {
		dst[i] = pixelScale[b]
	}
}

// readIDXImages decodes an images file into pixels scaled to [0,1]. The
// header's size is a claim: it is checked against the file's length (plain
// files) and the memory budget, but the pixel matrix grows only with the
// bytes that arrive, so a forged header (even with a gzip trailer that
// agrees) allocates no more than the file holds. Decompression and scaling
// overlap on two goroutines; for Fashion-MNIST they cost about the same.
func readIDXImages(df *dataFile, b budget) (n, rows, cols int, x []float64, err error) {
	var head [16]byte
	k, err := io.ReadFull(df.r, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return 0, 0, 0, nil, df.readErr(err)
	}
	total := int64(-1)
	if !df.gz {
		total = df.size
	}
	n, rows, cols, err = parseIDXHeader(df.path, head[:k], total)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	pixels := n * rows * cols
	// Pixels as floats, labels as bytes and as floats.
	if err := b.check(8*int64(pixels)+9*int64(n), fmt.Sprintf("%d images of %dx%d pixels", n, rows, cols)); err != nil {
		return 0, 0, 0, nil, err
	}
	x, err = streamPixels(df.r, pixels)
	if err != nil {
		return 0, 0, 0, nil, df.readErr(err)
	}
	if len(x) != pixels {
		return 0, 0, 0, nil, &FileError{File: df.path, Kind: ErrBadIDX,
			Detail: fmt.Sprintf("header says %d images of %dx%d pixels (%d bytes), but the file ends after %d bytes", n, rows, cols, 16+pixels, 16+len(x))}
	}
	if err := expectEOF(df, n, rows, cols); err != nil {
		return 0, 0, 0, nil, err
	}
	return n, rows, cols, x, nil
}

// expectEOF checks that nothing follows the pixels; reading to the end
// also makes gzip verify its checksum.
func expectEOF(df *dataFile, n, rows, cols int) error {
	var one [1]byte
	m, err := io.ReadFull(df.r, one[:])
	if m > 0 {
		return &FileError{File: df.path, Kind: ErrBadIDX,
			Detail: fmt.Sprintf("header says %d images of %dx%d pixels (%d bytes), but the file holds more", n, rows, cols, 16+n*rows*cols)}
	}
	if err != io.EOF {
		return df.readErr(err)
	}
	return nil
}

// streamPixels reads up to want pixels from r, scaling one chunk while the
// next is read. The result grows with the bytes read (doubling, capped at
// want), so it never holds more than twice what arrived and at most want
// values; it is shorter than want at a premature end.
func streamPixels(r io.Reader, want int) ([]float64, error) {
	const chunkSize = 1 << 18
	free := make(chan []byte, 3)
	for range cap(free) {
		free <- make([]byte, chunkSize)
	}
	full := make(chan []byte, cap(free))
	var readErr error
	go func() {
		defer close(full)
		off := 0
		for off < want {
			buf := <-free
			m, err := io.ReadFull(r, buf[:min(len(buf), want-off)])
			if m > 0 {
				full <- buf[:m]
				off += m
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				readErr = err
				break
			}
		}
	}()
	x := make([]float64, 0, min(want, chunkSize))
	for c := range full {
		if len(x)+len(c) > cap(x) {
			grown := make([]float64, len(x), min(want, max(2*cap(x), len(x)+len(c))))
			copy(grown, x)
			x = grown
		}
		off := len(x)
		x = x[:off+len(c)]
		scalePixels(x[off:], c)
		free <- c[:cap(c)]
	}
	// The channel's close orders the goroutine's writes before these reads.
	return x, readErr
}

// parseIDXHeader validates an images header. total is the file's length
// when known (a plain file), or -1.
func parseIDXHeader(path string, head []byte, total int64) (n, rows, cols int, err error) {
	bad := func(format string, a ...any) (int, int, int, error) {
		return 0, 0, 0, &FileError{File: path, Kind: ErrBadIDX, Detail: fmt.Sprintf(format, a...)}
	}
	if len(head) < 4 {
		return bad("%d bytes is too short for an images header (16 bytes)", len(head))
	}
	magic := binary.BigEndian.Uint32(head)
	if magic == idxLabelsMagic {
		return bad("this is a labels file (magic 0x%08x); give the images file, the labels are found beside it", magic)
	}
	if magic != idxImagesMagic {
		return bad("magic number 0x%08x, want 0x%08x (unsigned-byte images with 3 dimensions)", magic, idxImagesMagic)
	}
	if len(head) < 16 {
		return bad("%d bytes is too short for an images header (16 bytes)", len(head))
	}
	nn := uint64(binary.BigEndian.Uint32(head[4:]))
	rr := uint64(binary.BigEndian.Uint32(head[8:]))
	cc := uint64(binary.BigEndian.Uint32(head[12:]))
	if nn == 0 || rr == 0 || cc == 0 {
		return bad("header says %d images of %dx%d pixels; none may be zero", nn, rr, cc)
	}
	if rr*cc > maxIDXPixels {
		return bad("images of %dx%d pixels are larger than the %d pixels supported", rr, cc, maxIDXPixels)
	}
	want := 16 + nn*rr*cc
	if total >= 0 && uint64(total) != want {
		return bad("header says %d images of %dx%d pixels (%d bytes), but the file holds %d bytes", nn, rr, cc, want, total)
	}
	if want > maxFileBytes {
		return bad("header says %d images of %dx%d pixels (%d bytes), more than the %d bytes supported", nn, rr, cc, want, maxFileBytes)
	}
	return int(nn), int(rr), int(cc), nil
}

// parseIDXImages validates a whole images file held in memory.
func parseIDXImages(path string, raw []byte) (n, rows, cols int, pixels []byte, err error) {
	n, rows, cols, err = parseIDXHeader(path, raw[:min(len(raw), 16)], int64(len(raw)))
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return n, rows, cols, raw[16:], nil
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
