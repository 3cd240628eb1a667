package datasets

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

func (d *Dataset) notes() []string {
	if d == nil || d.Table == nil {
		return nil
	}
	return slices.Clone(d.Table.Notes)
}

// columnStats: a table's columns as loaded; for other data (built-in and
// numeric files) the features in order, then the target, counted now.
func (d *Dataset) columnStats() []Column {
	if d == nil {
		return nil
	}
	if d.Table != nil {
		return slices.Clone(d.Table.Columns)
	}
	nf := d.features()
	cols := make([]Column, 0, nf+1)
	var col []float64
	for j := range nf {
		c := Column{Name: featureName(d, j), Index: j, Role: RoleFeature, Kind: Numeric, Distinct: 0}
		if n := d.rows(); n > 0 {
			col = col[:0]
			for i := range n {
				col = append(col, d.X.At(i, j))
			}
			c.Distinct = distinctCount(col)
		}
		cols = append(cols, c)
	}
	t := Column{Name: "target", Index: nf, Role: RoleTarget, Kind: Numeric}
	if d.Task == Classification {
		t.Kind, t.Distinct = Categorical, len(d.ClassNames)
	} else if n := d.rows(); n > 0 && d.Y != nil && !d.Y.IsEmpty() {
		col = col[:0]
		for i := range n {
			col = append(col, d.Y.At(i, 0))
		}
		t.Distinct = distinctCount(col)
	}
	if len(d.TargetNames) > 0 {
		t.Name = d.TargetNames[0]
	}
	return append(cols, t)
}

func featureName(d *Dataset, j int) string {
	if j < len(d.FeatureNames) {
		return d.FeatureNames[j]
	}
	return "x" + strconv.Itoa(j+1)
}

// distinctCount counts the different non-NaN values of vals, which it
// sorts.
func distinctCount(vals []float64) int {
	slices.Sort(vals) // NaNs first
	n := 0
	for i, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		if i == 0 || v != vals[i-1] || math.IsNaN(vals[i-1]) {
			n++
		}
	}
	return n
}

// countTableColumns fills in the distinct counts a table's numeric and
// date inputs and its target get once X and Y are read.
func countTableColumns(d *Dataset) {
	t := d.Table
	n := d.rows()
	col := make([]float64, n)
	for i, ci := range t.Inputs {
		if k := t.Columns[ci].Kind; k == Numeric || k == Date {
			for r := range n {
				col[r] = d.X.At(r, i)
			}
			t.Columns[ci].Distinct = distinctCount(col)
		}
	}
	for ci := range t.Columns {
		if t.Columns[ci].Role != RoleTarget {
			continue
		}
		if d.Task == Classification {
			t.Columns[ci].Kind, t.Columns[ci].Distinct = Categorical, len(d.ClassNames)
		} else {
			for r := range n {
				col[r] = d.Y.At(r, 0)
			}
			t.Columns[ci].Distinct = distinctCount(col)
		}
	}
}

// describeColumns lists columns with their roles for an error message.
func describeColumns(cols []Column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = strconv.Quote(c.Name) + " (" + string(c.Role)
		if c.Note != "" {
			parts[i] += ": " + c.Note
		}
		parts[i] += ")"
	}
	return clipText(strings.Join(parts, ", "), 300)
}
