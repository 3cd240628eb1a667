package datasets

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// defaultBudgetCap is the most DefaultMaxMemory returns: 2 GiB.
const defaultBudgetCap = 2 << 30

// DefaultMaxMemory is the memory budget a load gets when LoadOptions.MaxMemory
// is 0: 2 GiB or a quarter of the machine's RAM, whichever is less.
func DefaultMaxMemory() int64 {
	if ram := totalRAM(); ram > 0 && ram/4 < defaultBudgetCap {
		return ram / 4
	}
	return defaultBudgetCap
}

// totalRAM reads MemTotal from /proc/meminfo; 0 when it cannot tell.
func totalRAM() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil && kb > 0 {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// ParseSize reads a byte size as a user types it: "512MiB", "2GiB", "1.5G",
// "800M", "65536". K, M, G and T are powers of 1024, with or without "iB"/"B".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	upper := strings.ToUpper(t)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10},
		{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(upper, u.suffix) {
			upper, mult = strings.TrimSpace(upper[:len(upper)-len(u.suffix)]), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(upper, 64)
	if err != nil || v <= 0 || v*float64(mult) >= 1<<62 {
		return 0, fmt.Errorf("bad size %q: want a positive number of bytes such as 512MiB or 2GiB", s)
	}
	return int64(v * float64(mult)), nil
}

// FormatSize writes n bytes the way ParseSize reads them, rounded: "1.5 GiB".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(math.Round(float64(n)/(1<<30)*100)/100, 'f', -1, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// budget is the memory a load may use. Every allocation whose size comes
// from the data is checked against it first, so data that would need more
// is refused with a clear error instead of exhausting memory.
type budget struct {
	file  string
	limit int64
	gate  PathGate // LoadOptions.Gate: every further file a load opens
}

func newBudget(file string, opts LoadOptions) budget {
	limit := opts.MaxMemory
	if limit <= 0 {
		limit = DefaultMaxMemory()
	}
	return budget{file: file, limit: limit, gate: opts.Gate}
}

// check refuses when need bytes would exceed the budget; what says what
// they are for.
func (b budget) check(need int64, what string) error {
	if need <= b.limit {
		return nil
	}
	return &FileError{File: b.file, Kind: ErrTooBig,
		Detail: fmt.Sprintf("%s would need more than %s, over the memory budget of %s (raise it with --max-memory)",
			what, FormatSize(need), FormatSize(b.limit))}
}

// growFloats returns s with room for at least extra more values, growing
// by bounded steps (a quarter, at least step values) and never past the
// budget once fixed bytes already held are counted.
// what is called only for the refusal's message: building it for every
// row cost the CSV loader an allocation per row.
func (b budget) growFloats(s []float64, extra int, fixed int64, what func() string) ([]float64, error) {
	if len(s)+extra <= cap(s) {
		return s, nil
	}
	const step = 1 << 14
	newCap := max(cap(s)+cap(s)/4, len(s)+extra, step)
	if room := (b.limit - fixed) / 8; int64(newCap) > room {
		// The last step that fits the budget, then a refusal.
		if int64(len(s)+extra) > room {
			return nil, b.check(fixed+8*int64(len(s)+extra), what())
		}
		newCap = int(room)
	}
	grown := make([]float64, len(s), newCap)
	copy(grown, s)
	return grown, nil
}
