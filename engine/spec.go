package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxUnits bounds a dense layer's width so that a typo (or a hostile file)
// cannot ask for terabytes of weights.
const maxUnits = 1 << 16

// ParseLayers parses a hidden-layer spec such as "64:relu,dropout:0.2,32:tanh".
// The empty string means no hidden layer. A bad part gives an error that quotes
// it and lists what is allowed.
func ParseLayers(spec string) ([]LayerSpec, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	parts := strings.Split(spec, ",")
	layers := make([]LayerSpec, 0, len(parts))
	for i, raw := range parts {
		l, err := parseLayer(strings.TrimSpace(raw))
		if err != nil {
			return nil, fmt.Errorf("layer spec part %d %q: %w", i+1, strings.TrimSpace(raw), err)
		}
		layers = append(layers, l)
	}
	return layers, nil
}

const specHelp = `want UNITS:ACTIVATION (e.g. "64:relu") or dropout:RATE (e.g. "dropout:0.2")`

func parseLayer(part string) (LayerSpec, error) {
	if part == "" {
		return LayerSpec{}, fmt.Errorf("empty part; %s", specHelp)
	}
	head, tail, ok := strings.Cut(part, ":")
	if !ok {
		return LayerSpec{}, fmt.Errorf("missing ':'; %s", specHelp)
	}
	head, tail = strings.TrimSpace(head), strings.TrimSpace(tail)
	var l LayerSpec
	if strings.EqualFold(head, "dropout") {
		rate, err := strconv.ParseFloat(tail, 64)
		if err != nil {
			return l, fmt.Errorf("dropout rate %q is not a number; want 0 <= rate < 1", tail)
		}
		l = LayerSpec{Kind: "dropout", Rate: rate}
	} else {
		units, err := strconv.Atoi(head)
		if err != nil {
			return l, fmt.Errorf("%q is neither a unit count nor \"dropout\"; %s", head, specHelp)
		}
		l = LayerSpec{Kind: "dense", Units: units, Activation: strings.ToLower(tail)}
	}
	return l, validateLayer(l)
}

// validateLayer checks a LayerSpec however it was made (parsed or literal).
func validateLayer(l LayerSpec) error {
	switch l.Kind {
	case "dense":
		if l.Units < 1 || l.Units > maxUnits {
			return fmt.Errorf("units %d out of range; want 1..%d", l.Units, maxUnits)
		}
		if _, ok := activationByName(l.Activation); !ok {
			return fmt.Errorf("unknown activation %q; allowed: %s", l.Activation, strings.Join(Activations, ", "))
		}
	case "dropout":
		if math.IsNaN(l.Rate) || l.Rate < 0 || l.Rate >= 1 {
			return fmt.Errorf("dropout rate %v out of range; want 0 <= rate < 1", l.Rate)
		}
	default:
		return fmt.Errorf("unknown layer kind %q; allowed: dense, dropout", l.Kind)
	}
	return nil
}

// FormatLayers is the inverse of ParseLayers.
func FormatLayers(layers []LayerSpec) string {
	var b strings.Builder
	for i, l := range layers {
		if i > 0 {
			b.WriteByte(',')
		}
		if l.Kind == "dropout" {
			b.WriteString("dropout:" + strconv.FormatFloat(l.Rate, 'g', -1, 64))
		} else {
			b.WriteString(strconv.Itoa(l.Units) + ":" + l.Activation)
		}
	}
	return b.String()
}
