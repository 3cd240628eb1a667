package cli

import (
	"github.com/spf13/pflag"

	"workbench/datasets"
)

// sizeValue is a byte-size flag ("512MiB", "2GiB") read by datasets.ParseSize.
type sizeValue struct{ n *int64 }

func (v sizeValue) String() string {
	if v.n == nil || *v.n == 0 {
		return ""
	}
	return datasets.FormatSize(*v.n)
}

func (v sizeValue) Set(s string) error {
	n, err := datasets.ParseSize(s)
	if err != nil {
		return err
	}
	*v.n = n
	return nil
}

func (sizeValue) Type() string { return "size" }

// maxMemoryFlag adds --max-memory: the most memory loading data may use;
// data that would need more is refused before it is allocated.
func maxMemoryFlag(fs *pflag.FlagSet) *int64 {
	n := datasets.DefaultMaxMemory()
	fs.Var(sizeValue{&n}, "max-memory", "most memory loading data may use (e.g. 512MiB, 4GiB); larger data is refused with a message before it is read in (default 2 GiB or a quarter of RAM, whichever is less)")
	return &n
}
