package datasets

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

func parseImpute(s string) (Impute, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none":
		return ImputeNone, nil
	case "mean":
		return ImputeMean, nil
	case "median":
		return ImputeMedian, nil
	case "most-frequent", "most_frequent", "mode":
		return ImputeMostFrequent, nil
	}
	return "", fmt.Errorf("unknown --impute %q: want mean, median or most-frequent", s)
}

// fitPreprocessor reads the raw training codes: the categories present
// (a gap is the category MissingCategory), and the fill values.
func fitPreprocessor(train *Dataset) (*Preprocessor, error) {
	t := train.Table
	if t == nil || !t.Raw {
		return nil, errors.New("datasets: FitPreprocessor needs raw table data (Dataset.Table.Raw); use Split.Preprocess")
	}
	n := train.rows()
	p := &Preprocessor{Version: PreprocessorVersion}
	col := make([]float64, 0, n)
	for i, ci := range t.Inputs {
		c := t.Columns[ci]
		in := InputColumn{Name: c.Name, Kind: c.Kind}
		col = col[:0]
		missing := false
		for r := range n {
			if v := train.X.At(r, i); math.IsNaN(v) {
				missing = true
			} else {
				col = append(col, v)
			}
		}
		switch c.Kind {
		case Categorical:
			in.NumericCategories = t.numericCats[i]
			seen := make([]bool, len(t.Values[i]))
			for _, v := range col {
				seen[int(v)] = true
			}
			for code, ok := range seen {
				if ok {
					in.Categories = append(in.Categories, t.Values[i][code])
				}
			}
			if missing {
				in.Categories = append(in.Categories, MissingCategory)
			}
			slices.Sort(in.Categories)
		default:
			if t.Impute != ImputeNone {
				f := imputeValue(col, t.Impute)
				in.Fill = &f
			}
		}
		p.Inputs = append(p.Inputs, in)
	}
	return p, nil
}

// imputeValue is the fill for a column's known values (sorted in place):
// their mean, median, or most frequent value (the smallest among ties, as
// scikit-learn's SimpleImputer picks). 0 when nothing is known.
func imputeValue(vals []float64, how Impute) float64 {
	if len(vals) == 0 {
		return 0
	}
	switch how {
	case ImputeMean:
		s := 0.0
		for _, v := range vals {
			s += v
		}
		return s / float64(len(vals))
	case ImputeMedian:
		slices.Sort(vals)
		m := len(vals) / 2
		if len(vals)%2 == 1 {
			return vals[m]
		}
		return (vals[m-1] + vals[m]) / 2
	}
	slices.Sort(vals)
	best, bestRun, run := vals[0], 0, 0
	for i, v := range vals {
		if i > 0 && v == vals[i-1] {
			run++
		} else {
			run = 1
		}
		if run > bestRun {
			best, bestRun = v, run
		}
	}
	return best
}

func (in *InputColumn) width() int {
	switch in.Kind {
	case Categorical:
		return len(in.Categories) + 1
	case Date:
		return 8
	}
	return 1
}

func (p *Preprocessor) outputs() int {
	n := 0
	for i := range p.Inputs {
		n += p.Inputs[i].width()
	}
	return n
}

func (p *Preprocessor) inputNames() []string {
	out := make([]string, len(p.Inputs))
	for i, in := range p.Inputs {
		out[i] = in.Name
	}
	return out
}

func (p *Preprocessor) featureNames() []string {
	out := make([]string, 0, p.outputs())
	for _, in := range p.Inputs {
		switch in.Kind {
		case Categorical:
			for _, c := range in.Categories {
				out = append(out, in.Name+"="+c)
			}
			out = append(out, in.Name+"="+UnknownCategory)
		case Date:
			out = append(out, in.Name+":days")
			for _, w := range weekdayNames {
				out = append(out, in.Name+":"+w)
			}
		default:
			out = append(out, in.Name)
		}
	}
	return out
}

func (p *Preprocessor) check() error {
	if p == nil {
		return errors.New("preprocessing: missing")
	}
	if p.Version < 1 || p.Version > PreprocessorVersion {
		return fmt.Errorf("preprocessing: version %d is not one this build reads (1 to %d)", p.Version, PreprocessorVersion)
	}
	if len(p.Inputs) == 0 {
		return errors.New("preprocessing: no input columns")
	}
	for i, in := range p.Inputs {
		switch in.Kind {
		case Numeric, Date, Categorical:
		default:
			return fmt.Errorf("preprocessing: input %d (%q) has unknown kind %q", i, in.Name, in.Kind)
		}
		if in.Fill != nil && (math.IsNaN(*in.Fill) || math.IsInf(*in.Fill, 0)) {
			return fmt.Errorf("preprocessing: input %q has a fill value that is not a finite number", in.Name)
		}
		for k := 1; k < len(in.Categories); k++ {
			if in.Categories[k-1] >= in.Categories[k] {
				return fmt.Errorf("preprocessing: input %q: categories are not sorted and distinct (%q, %q)", in.Name, in.Categories[k-1], in.Categories[k])
			}
		}
	}
	return nil
}

// slot is the one-hot position of a category: its index, or the unknown
// slot after the vocabulary.
func (in *InputColumn) slot(v string) int {
	if k, ok := slices.BinarySearch(in.Categories, v); ok {
		return k
	}
	return len(in.Categories)
}

// slotBytes is slot for a category spelled in bytes, without a copy: the
// compiler compares string(b) with a string in place.
func (in *InputColumn) slotBytes(b []byte) int {
	lo, hi := 0, len(in.Categories)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if in.Categories[m] < string(b) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(in.Categories) && in.Categories[lo] == string(b) {
		return lo
	}
	return len(in.Categories)
}

// encode maps a raw part's codes to features.
func (p *Preprocessor) encode(d *Dataset) (*Dataset, error) {
	t := d.Table
	if t == nil || !t.Raw || len(t.Inputs) != len(p.Inputs) {
		return nil, errors.New("datasets: Preprocessor.Encode needs raw table data with the preprocessor's inputs")
	}
	// Each code of the load's categories, once, to its slot.
	slots := make([][]int, len(p.Inputs))
	missing := make([]int, len(p.Inputs))
	for i := range p.Inputs {
		in := &p.Inputs[i]
		if c := t.Columns[t.Inputs[i]]; c.Name != in.Name || c.Kind != in.Kind {
			return nil, fmt.Errorf("datasets: Preprocessor.Encode: input %d is %s column %q, the data's is %s column %q", i, in.Kind, in.Name, c.Kind, c.Name)
		}
		if in.Kind != Categorical {
			continue
		}
		slots[i] = make([]int, len(t.Values[i]))
		for code, v := range t.Values[i] {
			slots[i][code] = in.slot(v)
		}
		missing[i] = in.slot(MissingCategory)
	}
	n, w := d.rows(), p.outputs()
	if t.limit > 0 && int64(n)*int64(w)*8 > t.limit {
		return nil, fmt.Errorf("%s: encoding %d rows into %d features would need %s, over the memory budget of %s (raise it with --max-memory, or lower --max-categories)",
			d.Name, n, w, FormatSize(int64(n)*int64(w)*8), FormatSize(t.limit))
	}
	out := make([]float64, n*w)
	for r := range n {
		raw, dst := d.X.RawRowView(r), out[r*w:(r+1)*w]
		o := 0
		for i := range p.Inputs {
			in := &p.Inputs[i]
			v := raw[i]
			if math.IsNaN(v) && in.Kind != Categorical {
				if in.Fill == nil {
					return nil, fmt.Errorf("%s: row %d: column %q is missing and was not imputed", d.Name, r+1, in.Name)
				}
				v = *in.Fill
			}
			switch in.Kind {
			case Numeric:
				dst[o] = v
			case Date:
				dst[o] = v
				dst[o+1+weekday(v)] = 1
			default:
				k := missing[i]
				if !math.IsNaN(v) {
					k = slots[i][int(v)]
				}
				dst[o+k] = 1
			}
			o += in.width()
		}
	}
	res := *d
	res.X = newDense(n, w, out)
	res.FeatureNames = p.featureNames()
	tc := *t
	tc.Raw = false
	res.Table = &tc
	return &res, nil
}

func (s Split) preprocess() (Split, *Preprocessor, error) {
	if s.Train == nil || s.Train.Table == nil || !s.Train.Table.Raw {
		return s, nil, nil
	}
	p, err := fitPreprocessor(s.Train)
	if err != nil {
		return s, nil, err
	}
	var out Split
	for _, part := range []struct {
		in  *Dataset
		out **Dataset
	}{{s.Train, &out.Train}, {s.Val, &out.Val}, {s.Test, &out.Test}} {
		if part.in == nil {
			continue
		}
		if *part.out, err = p.encode(part.in); err != nil {
			return s, nil, err
		}
	}
	return out, p, nil
}
