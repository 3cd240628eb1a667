package datasets

import (
	"fmt"
	"math"
	"sort"
)

func (d *Dataset) split(val, test float64, seed int64) (Split, error) {
	for _, f := range []struct {
		name string
		v    float64
	}{{"validation", val}, {"test", test}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v >= 1 {
			return Split{}, fmt.Errorf("split: %s fraction %v must be at least 0 and below 1", f.name, f.v)
		}
	}
	if val+test >= 1 {
		return Split{}, fmt.Errorf("split: validation %v + test %v = %v leaves no training rows; the sum must be below 1", val, test, val+test)
	}
	n := d.rows()
	if n == 0 {
		return Split{}, fmt.Errorf("split: dataset %s has no rows", d.Name)
	}
	r := newRNG(seed)
	var trainIdx, valIdx, testIdx []int
	if d.Task == Classification {
		groups := make([][]int, len(d.ClassNames))
		for i := range n {
			c := int(d.Y.At(i, 0))
			if c < 0 || c >= len(groups) {
				return Split{}, fmt.Errorf("split: row %d has class %v outside 0..%d", i, d.Y.At(i, 0), len(groups)-1)
			}
			groups[c] = append(groups[c], i)
		}
		sizes := make([]int, len(groups))
		for c, g := range groups {
			sizes[c] = len(g)
		}
		nTest := apportion(sizes, test)
		nVal := apportion(sizes, val)
		for c, g := range groups {
			if len(g) == 0 {
				continue // a class named but absent cannot be stratified
			}
			// Every class appears in every part that was asked for: a
			// rare class missing from validation would make its accuracy
			// silently meaningless.
			if test > 0 && nTest[c] == 0 {
				nTest[c] = 1
			}
			if val > 0 && nVal[c] == 0 {
				nVal[c] = 1
			}
			if len(g)-nTest[c]-nVal[c] < 1 {
				return Split{}, fmt.Errorf("split: class %q has only %s, too few to appear in training%s", d.ClassNames[c], plural(len(g), "row"), partsAsked(val, test))
			}
			r.shuffle(g)
			testIdx = append(testIdx, g[:nTest[c]]...)
			valIdx = append(valIdx, g[nTest[c]:nTest[c]+nVal[c]]...)
			trainIdx = append(trainIdx, g[nTest[c]+nVal[c]:]...)
		}
	} else {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		r.shuffle(all)
		nTest := int(math.Round(float64(n) * test))
		nVal := int(math.Round(float64(n) * val))
		if n-nTest-nVal < 1 {
			return Split{}, fmt.Errorf("split: %d rows are too few to keep one for training after taking %d for validation and %d for test", n, nVal, nTest)
		}
		testIdx, valIdx, trainIdx = all[:nTest], all[nTest:nTest+nVal], all[nTest+nVal:]
	}
	if val > 0 && len(valIdx) == 0 {
		return Split{}, fmt.Errorf("split: %d rows are too few for a validation fraction of %v: it would be empty", n, val)
	}
	if test > 0 && len(testIdx) == 0 {
		return Split{}, fmt.Errorf("split: %d rows are too few for a test fraction of %v: it would be empty", n, test)
	}
	// Stratification gathered rows class by class; shuffle again so that
	// each split is not sorted by class.
	r.shuffle(trainIdx)
	r.shuffle(valIdx)
	r.shuffle(testIdx)
	return Split{Train: d.withRows(trainIdx), Val: d.withRows(valIdx), Test: d.withRows(testIdx)}, nil
}

// apportion shares round(total*frac) rows among groups in proportion to
// their sizes (largest remainder), so the split has the size the fraction
// asks for overall while each class keeps its share.
func apportion(sizes []int, frac float64) []int {
	total := 0
	for _, s := range sizes {
		total += s
	}
	want := int(math.Round(float64(total) * frac))
	out := make([]int, len(sizes))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, 0, len(sizes))
	got := 0
	for i, s := range sizes {
		q := float64(s) * frac
		out[i] = int(math.Floor(q))
		got += out[i]
		rems = append(rems, rem{i, q - float64(out[i])})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; got < want && k < len(rems); k++ {
		if out[rems[k].i] < sizes[rems[k].i] {
			out[rems[k].i]++
			got++
		}
	}
	return out
}

func partsAsked(val, test float64) string {
	switch {
	case val > 0 && test > 0:
		return ", validation and test"
	case val > 0:
		return " and validation"
	case test > 0:
		return " and test"
	}
	return ""
}

// plural says "1 row" or "2 rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
