package engine

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseLayers(t *testing.T) {
	ok := []struct {
		spec string
		want []LayerSpec
	}{
		{"", nil},
		{"  ", nil},
		{"64:relu", []LayerSpec{{Kind: "dense", Units: 64, Activation: "relu"}}},
		{"64:relu, dropout:0.2 ,32:tanh", []LayerSpec{
			{Kind: "dense", Units: 64, Activation: "relu"},
			{Kind: "dropout", Rate: 0.2},
			{Kind: "dense", Units: 32, Activation: "tanh"}}},
		{"8:LEAKY_RELU,dropout:0", []LayerSpec{{Kind: "dense", Units: 8, Activation: "leaky_relu"}, {Kind: "dropout"}}},
	}
	for _, c := range ok {
		got, err := ParseLayers(c.spec)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseLayers(%q) = %+v, %v; want %+v", c.spec, got, err, c.want)
		}
	}
	bad := []struct{ spec, quote, lists string }{
		{"64:relux", `"64:relux"`, "leaky_relu"},
		{"0:relu", `"0:relu"`, "1.."},
		{"dropout:1.5", `"dropout:1.5"`, "0 <= rate < 1"},
		{"dropout:-0.1", `"dropout:-0.1"`, "0 <= rate < 1"},
		{"dropout:x", `"dropout:x"`, "0 <= rate < 1"},
		{"64:relu,,32:tanh", "part 2", "UNITS:ACTIVATION"},
		{"64:relu,", "part 2", "UNITS:ACTIVATION"},
		{"64", `"64"`, "UNITS:ACTIVATION"},
		{"abc:relu", `"abc:relu"`, "dropout"},
		{"99999999:relu", `"99999999:relu"`, "1.."},
	}
	for _, c := range bad {
		_, err := ParseLayers(c.spec)
		if err == nil {
			t.Errorf("ParseLayers(%q): no error", c.spec)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, c.quote) || !strings.Contains(msg, c.lists) {
			t.Errorf("ParseLayers(%q) error %q: want it to quote %s and mention %q", c.spec, msg, c.quote, c.lists)
		}
	}
}

func TestFormatLayersRoundTrip(t *testing.T) {
	for _, spec := range []string{"", "64:relu", "64:relu,dropout:0.25,32:tanh,dropout:0.1,3:gelu"} {
		l, err := ParseLayers(spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatLayers(l); got != spec {
			t.Errorf("FormatLayers(ParseLayers(%q)) = %q", spec, got)
		}
	}
}

func TestNewModelValidates(t *testing.T) {
	bad := []struct {
		cfg  Config
		want string
	}{
		{Config{Inputs: 0, Outputs: 2}, "Inputs"},
		{Config{Inputs: 2, Outputs: 1}, "Outputs"},
		{Config{Inputs: 2, Outputs: 0, Task: Regression}, "Outputs"},
		{Config{Inputs: 2, Outputs: 2, Loss: "mse"}, "Loss"},
		{Config{Inputs: 2, Outputs: 2, Task: Regression, Loss: "cross_entropy"}, "Loss"},
		{Config{Inputs: 2, Outputs: 2, Task: 7}, "Task"},
		{Config{Inputs: 2, Outputs: 2, Layers: []LayerSpec{{Kind: "dense", Units: 3, Activation: "swish"}}}, "Layers[0]"},
		{Config{Inputs: 2, Outputs: 2, Layers: []LayerSpec{{Kind: "conv"}}}, "Layers[0]"},
		{Config{Inputs: 1 << 20, Outputs: 2, Layers: []LayerSpec{{Kind: "dense", Units: 1 << 16, Activation: "relu"}}}, "too large"},
	}
	for _, c := range bad {
		if _, err := NewModel(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewModel(%+v) error %v, want one naming %q", c.cfg, err, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	m := mustModel(t, Config{Inputs: 4, Outputs: 3, Layers: mustLayers(t, "16:relu,dropout:0.2,8:tanh"), Seed: 1})
	want := []SummaryRow{
		{"dense (relu)", "(-, 16)", 4*16 + 16},
		{"dropout 0.2", "(-, 16)", 0},
		{"dense (tanh)", "(-, 8)", 16*8 + 8},
		{"dense (softmax)", "(-, 3)", 8*3 + 3},
	}
	if got := m.Summary(); !reflect.DeepEqual(got, want) {
		t.Errorf("Summary = %+v, want %+v", got, want)
	}
	if m.ParamCount() != 80+136+27 {
		t.Errorf("ParamCount = %d, want 243", m.ParamCount())
	}
	if tab := m.SummaryTable(); !strings.Contains(tab, "Total params: 243") || !strings.Contains(tab, "dense (softmax)") {
		t.Errorf("SummaryTable lacks rows or total:\n%s", tab)
	}
	dl := m.DenseLayers()
	if len(dl) != 3 || dl[2].Activation != "softmax" || dl[0].Activation != "relu" {
		t.Fatalf("DenseLayers = %+v", dl)
	}
	dl[0].W.Set(0, 0, 1e9) // a copy: the model must not change
	if m.DenseLayers()[0].W.At(0, 0) == 1e9 {
		t.Error("DenseLayers returned the model's own storage")
	}
	r := mustModel(t, Config{Inputs: 4, Outputs: 2, Task: Regression, Seed: 1})
	if a := r.DenseLayers()[0].Activation; a != "linear" {
		t.Errorf("regression output activation %q, want linear", a)
	}
}

// Any string either fails with an error or parses to layers that format
// back to a spec parsing to the same layers.
func FuzzParseLayers(f *testing.F) {
	for _, s := range []string{"", "64:relu,dropout:0.2,32:tanh", "0:relu", "dropout:1.5", ",", "8:GELU , dropout:1e-3", "dropout:NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		layers, err := ParseLayers(spec)
		if err != nil {
			return
		}
		again, err := ParseLayers(FormatLayers(layers))
		if err != nil || !reflect.DeepEqual(again, layers) && len(layers) > 0 {
			t.Fatalf("%q → %q → %v, %v", spec, FormatLayers(layers), again, err)
		}
	})
}
