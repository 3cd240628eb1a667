package sessions

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"workbench/datasets"
)

// writeIDXPair writes name-images-idx3-ubyte and name-labels-idx1-ubyte
// with n 2×2 images whose pixels say their class (class c: all pixels
// 60·c plus noise from i), classes 0..2.
func writeIDXPair(t *testing.T, dir, name string, n int) {
	t.Helper()
	img := binary.BigEndian.AppendUint32(nil, 0x00000803)
	img = binary.BigEndian.AppendUint32(img, uint32(n))
	img = binary.BigEndian.AppendUint32(img, 2)
	img = binary.BigEndian.AppendUint32(img, 2)
	lab := binary.BigEndian.AppendUint32(nil, 0x00000801)
	lab = binary.BigEndian.AppendUint32(lab, uint32(n))
	for i := range n {
		c := i % 3
		for p := range 4 {
			img = append(img, byte(60*c+(i*7+p*3)%20))
		}
		lab = append(lab, byte(c))
	}
	if err := os.WriteFile(filepath.Join(dir, name+"-images-idx3-ubyte"), img, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+"-labels-idx1-ubyte"), lab, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOfficialTestSet: IDX training files with a t10k pair beside them are
// tested on that pair (the training file gives train and validation only),
// the session records it, and re-preparing the session splits the same
// way; without the pair the test split is a fraction, as before (issue 18).
func TestOfficialTestSet(t *testing.T) {
	dir := t.TempDir()
	writeIDXPair(t, dir, "train", 300)
	writeIDXPair(t, dir, "t10k", 60)
	st := openStore(t)
	pr := prepare(t, Plan{DataRef: filepath.Join(dir, "train-images-idx3-ubyte"), Val: 0.2, Test: 0.2, Hyper: Hyper{Epochs: 2, Seed: 4}})
	s := pr.Session
	if s.Split.TestRef != filepath.Join(dir, "t10k-images-idx3-ubyte") || s.Split.Test != 0 {
		t.Fatalf("split %+v: the t10k pair is not the test split", s.Split)
	}
	if s.Data.TestRows != 60 || s.Data.TrainRows+s.Data.ValRows != 300 || s.Data.ValRows != 60 {
		t.Fatalf("rows: train %d, val %d, test %d; want 240/60 from the training file and the 60 test rows", s.Data.TrainRows, s.Data.ValRows, s.Data.TestRows)
	}
	trained, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := st.Load(trained.ID)
	if err != nil {
		t.Fatal(err)
	}
	re, err := Reprepare(loaded)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := re.Test.X.Dims(); r != 60 || !sameBits(re.Test.X, pr.Test.X) || !sameBits(re.Val.X, pr.Val.X) {
		t.Fatalf("re-preparing split differently: %d test rows", r)
	}

	// --test 0 keeps no test split, official set or not.
	none := prepare(t, Plan{DataRef: filepath.Join(dir, "train-images-idx3-ubyte"), Val: 0.2, Test: 0, Hyper: Hyper{Epochs: 1}})
	if none.Session.Split.TestRef != "" || none.Session.Data.TestRows != 0 {
		t.Fatalf("--test 0: %+v, %d test rows", none.Session.Split, none.Session.Data.TestRows)
	}
	// Without a t10k pair: a fraction of the file, as before.
	alone := t.TempDir()
	writeIDXPair(t, alone, "train", 300)
	frac := prepare(t, Plan{DataRef: filepath.Join(alone, "train-images-idx3-ubyte"), Hyper: Hyper{Epochs: 1}})
	if frac.Session.Split.TestRef != "" || frac.Session.Data.TestRows != 60 {
		t.Fatalf("no pair: %+v, %d test rows", frac.Session.Split, frac.Session.Data.TestRows)
	}
}

// TestMisclassifiedIsTheTestSplitsErrors: the examples Misclassified gives
// are exactly the test confusion matrix's off-diagonal, for a fraction
// split and for an official test set alike.
func TestMisclassifiedIsTheTestSplitsErrors(t *testing.T) {
	dir := t.TempDir()
	writeIDXPair(t, dir, "train", 300)
	writeIDXPair(t, dir, "t10k", 60)
	st := openStore(t)
	for _, ref := range []string{filepath.Join(dir, "train-images-idx3-ubyte"), "iris"} {
		pr := prepare(t, Plan{DataRef: ref, Layers: "2:relu", Hyper: Hyper{Epochs: 2, Seed: 5}})
		s, err := st.Train(context.Background(), pr, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		wrong, err := s.Misclassified(pr.Dataset, datasets.LoadOptions{}, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		off := 0
		for i, row := range s.Test.Confusion {
			for j, c := range row {
				if i != j {
					off += c
				}
			}
		}
		if len(wrong) != off || off == 0 {
			t.Fatalf("%s: %d misclassified examples, the confusion matrix has %d off its diagonal", ref, len(wrong), off)
		}
		for _, e := range wrong {
			if e.True == e.Pred || len(e.X) != pr.Dataset.Features() {
				t.Fatalf("%s: example %+v", ref, e)
			}
		}
	}
}
