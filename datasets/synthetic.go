package datasets

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// param is one synthetic-generator parameter. Integers and floats share
// float64 storage; isInt makes parsing and formatting strict.
type param struct {
	name     string
	def      float64
	isInt    bool
	min, max float64 // inclusive bounds
	help     string
}

type generator struct {
	name, description string
	task              Task
	features          int
	extra             []param // beyond n, noise, seed
	defN              int
	defNoise          float64
	classes           func(p map[string]float64) int
	gen               func(r *rng, p map[string]float64, counts []int) (x, y []float64, classNames []string)
}

const maxSyntheticRows = 1_000_000

func (g *generator) params() []param {
	ps := []param{
		{name: "n", def: float64(g.defN), isInt: true, min: 1, max: maxSyntheticRows, help: "an integer from 1 to 1000000"},
		{name: "noise", def: g.defNoise, min: 0, max: 100, help: "a number from 0 to 100"},
		{name: "seed", def: 1, isInt: true, min: math.MinInt64, max: math.MaxInt64, help: "an integer"},
	}
	return append(ps, g.extra...)
}

func (g *generator) paramNames() []string {
	var names []string
	for _, p := range g.params() {
		names = append(names, p.name)
	}
	return names
}

var generators = []*generator{
	{
		name: "spiral", description: "Interleaved 2-D spiral arms, one class per arm",
		task: Classification, features: 2, defN: 600, defNoise: 0.2,
		extra:   []param{{name: "arms", def: 2, isInt: true, min: 2, max: 20, help: "an integer from 2 to 20"}},
		classes: func(p map[string]float64) int { return int(p["arms"]) },
		gen:     genSpiral,
	},
	{
		name: "moons", description: "Two interleaving half circles",
		task: Classification, features: 2, defN: 400, defNoise: 0.1,
		classes: func(map[string]float64) int { return 2 },
		gen:     genMoons,
	},
	{
		name: "circles", description: "A small circle inside a large one",
		task: Classification, features: 2, defN: 400, defNoise: 0.05,
		classes: func(map[string]float64) int { return 2 },
		gen:     genCircles,
	},
	{
		name: "xor", description: "Points in four quadrants; the class is whether x and y share a sign",
		task: Classification, features: 2, defN: 400, defNoise: 0.1,
		classes: func(map[string]float64) int { return 2 },
		gen:     genXOR,
	},
	{
		name: "blobs", description: "Gaussian blobs around k centres, one class per centre",
		task: Classification, features: 2, defN: 300, defNoise: 1.0,
		extra:   []param{{name: "k", def: 3, isInt: true, min: 2, max: 50, help: "an integer from 2 to 50"}},
		classes: func(p map[string]float64) int { return int(p["k"]) },
		gen:     genBlobs,
	},
	{
		name: "sine", description: "1-D regression: y = sin(x) plus Gaussian noise",
		task: Regression, features: 1, defN: 200, defNoise: 0.1,
		classes: func(map[string]float64) int { return 0 },
		gen:     genSine,
	},
}

func findGenerator(name string) *generator {
	for _, g := range generators {
		if g.name == name {
			return g
		}
	}
	return nil
}

func formatParam(p param, v float64) string {
	if p.isInt {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// canonicalRef spells out every parameter, defaults included, so that a
// stored reference keeps meaning the same data if defaults ever change.
func (g *generator) canonicalRef(vals map[string]float64, seed int64) string {
	var b strings.Builder
	b.WriteString(g.name)
	for i, p := range g.params() {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		v := formatParam(p, vals[p.name])
		if p.name == "seed" {
			v = strconv.FormatInt(seed, 10)
		}
		b.WriteString(p.name + "=" + v)
	}
	return b.String()
}

// parseParams checks query pairs against the generator's parameters.
func (g *generator) parseParams(pairs []kv) (vals map[string]float64, seed int64, err error) {
	vals = map[string]float64{}
	seed = 1
	ps := g.params()
	for _, p := range ps {
		vals[p.name] = p.def
	}
	seen := map[string]bool{}
	for _, pair := range pairs {
		var p *param
		for i := range ps {
			if ps[i].name == pair.key {
				p = &ps[i]
			}
		}
		if p == nil {
			return nil, 0, fmt.Errorf("%s: unknown parameter %q (parameters: %s)", g.name, pair.key, strings.Join(g.paramNames(), ", "))
		}
		if seen[p.name] {
			return nil, 0, fmt.Errorf("%s: parameter %q given twice", g.name, p.name)
		}
		seen[p.name] = true
		var v float64
		if p.isInt {
			i, err := strconv.ParseInt(pair.value, 10, 64)
			if err != nil {
				return nil, 0, fmt.Errorf("%s: bad value %q for %s: want %s", g.name, pair.value, p.name, p.help)
			}
			if p.name == "seed" {
				// float64 cannot hold every int64 exactly; keep the seed apart.
				seed = i
				continue
			}
			v = float64(i)
		} else {
			f, err := strconv.ParseFloat(pair.value, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, 0, fmt.Errorf("%s: bad value %q for %s: want %s", g.name, pair.value, p.name, p.help)
			}
			v = f
		}
		if v < p.min || v > p.max {
			return nil, 0, fmt.Errorf("%s: bad value %q for %s: want %s", g.name, pair.value, p.name, p.help)
		}
		vals[p.name] = v
	}
	if k := g.classes(vals); k > 0 && int(vals["n"]) < k {
		return nil, 0, fmt.Errorf("%s: n=%d is too small for %d classes: want n ≥ %d", g.name, int(vals["n"]), k, k)
	}
	return vals, seed, nil
}

func (g *generator) load(pairs []kv) (*Dataset, error) {
	vals, seed, err := g.parseParams(pairs)
	if err != nil {
		return nil, err
	}
	n := int(vals["n"])
	k := g.classes(vals)
	groups := k
	if groups == 0 {
		groups = 1
	}
	// Classes get equal shares (the first n%k one row more) so that
	// balance never depends on the random stream.
	counts := make([]int, groups)
	for c := range counts {
		counts[c] = n / groups
		if c < n%groups {
			counts[c]++
		}
	}
	r := newRNG(seed)
	x, y, classNames := g.gen(r, vals, counts)
	// Rows come out grouped by class; shuffle them as a user would expect
	// from a sample, keeping the shuffle inside the seeded stream.
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	r.shuffle(perm)
	f := g.features
	xs := make([]float64, n*f)
	ys := make([]float64, n)
	for i, p := range perm {
		copy(xs[i*f:(i+1)*f], x[p*f:(p+1)*f])
		ys[i] = y[p]
	}
	d := &Dataset{
		Name:        g.name,
		Ref:         g.canonicalRef(vals, seed),
		Task:        g.task,
		X:           newDense(n, f, xs),
		Y:           newDense(n, 1, ys),
		Description: g.description,
		Source:      "synthetic, generated by Workbench from the seed",
	}
	if f == 1 {
		d.FeatureNames = []string{"x"}
	} else {
		d.FeatureNames = []string{"x1", "x2"}
	}
	if g.task == Classification {
		d.ClassNames = classNames
	} else {
		d.TargetNames = []string{"y"}
	}
	return d, nil
}

func numberedNames(prefix string, k int) []string {
	names := make([]string, k)
	for i := range names {
		names[i] = prefix + strconv.Itoa(i+1)
	}
	return names
}

func genSpiral(r *rng, p map[string]float64, counts []int) ([]float64, []float64, []string) {
	noise := p["noise"]
	k := len(counts)
	var x, y []float64
	for c, m := range counts {
		for i := range m {
			// Radius grows along the arm from near the centre (where the
			// arms would otherwise collide) out to 1; 1.5 turns per arm.
			t := 0.0
			if m > 1 {
				t = float64(i) / float64(m-1)
			}
			rad := 0.05 + 0.95*t
			theta := 2*math.Pi*float64(c)/float64(k) + 3*math.Pi*t + noise*r.norm()
			x = append(x, rad*math.Cos(theta), rad*math.Sin(theta))
			y = append(y, float64(c))
		}
	}
	return x, y, numberedNames("arm ", k)
}

func genMoons(r *rng, p map[string]float64, counts []int) ([]float64, []float64, []string) {
	noise := p["noise"]
	var x, y []float64
	for c, m := range counts {
		for i := range m {
			t := 0.0
			if m > 1 {
				t = math.Pi * float64(i) / float64(m-1)
			}
			var a, b float64
			if c == 0 {
				a, b = math.Cos(t), math.Sin(t)
			} else {
				a, b = 1-math.Cos(t), 0.5-math.Sin(t)
			}
			x = append(x, a+noise*r.norm(), b+noise*r.norm())
			y = append(y, float64(c))
		}
	}
	return x, y, []string{"upper", "lower"}
}

func genCircles(r *rng, p map[string]float64, counts []int) ([]float64, []float64, []string) {
	noise := p["noise"]
	var x, y []float64
	for c, m := range counts {
		rad := 1.0
		if c == 1 {
			rad = 0.5
		}
		for i := range m {
			t := 2 * math.Pi * float64(i) / float64(m)
			x = append(x, rad*math.Cos(t)+noise*r.norm(), rad*math.Sin(t)+noise*r.norm())
			y = append(y, float64(c))
		}
	}
	return x, y, []string{"outer", "inner"}
}

func genXOR(r *rng, p map[string]float64, counts []int) ([]float64, []float64, []string) {
	noise := p["noise"]
	var x, y []float64
	for c, m := range counts {
		for i := range m {
			// Alternate the two quadrants of the class so that both are
			// equally filled.
			sx := 1.0
			if i%2 == 1 {
				sx = -1
			}
			sy := sx
			if c == 1 {
				sy = -sx
			}
			a := sx * r.float64()
			b := sy * r.float64()
			x = append(x, a+noise*r.norm(), b+noise*r.norm())
			y = append(y, float64(c))
		}
	}
	return x, y, []string{"same sign", "opposite sign"}
}

func genBlobs(r *rng, p map[string]float64, counts []int) ([]float64, []float64, []string) {
	noise := p["noise"]
	k := len(counts)
	// Centres sit evenly on a circle with a seeded rotation and radius
	// jitter: random enough to differ between seeds, never so close that
	// the default noise makes a blob vanish into another.
	phase := 2 * math.Pi * r.float64()
	var x, y []float64
	for c, m := range counts {
		rad := 5 * (0.8 + 0.4*r.float64())
		angle := phase + 2*math.Pi*float64(c)/float64(k)
		cx, cy := rad*math.Cos(angle), rad*math.Sin(angle)
		for range m {
			x = append(x, cx+noise*r.norm(), cy+noise*r.norm())
			y = append(y, float64(c))
		}
	}
	return x, y, numberedNames("blob ", k)
}

func genSine(r *rng, p map[string]float64, counts []int) ([]float64, []float64, []string) {
	noise := p["noise"]
	var x, y []float64
	for range counts[0] {
		v := -math.Pi + 2*math.Pi*r.float64()
		x = append(x, v)
		y = append(y, math.Sin(v)+noise*r.norm())
	}
	return x, y, nil
}
