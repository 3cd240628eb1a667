package cli

import "testing"

func TestPlainNumber(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{2595561.234, "2595561"},
		{150380.44, "150380"},
		{152.3456, "152.346"},
		{-2500.6, "-2500.60"},
		{0.5, "0.500000"},
		{0, "0"},
		{1e-7, "1e-07"},
		{3e20, "3e+20"},
	} {
		if got := plainNumber(tt.v); got != tt.want {
			t.Errorf("plainNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
