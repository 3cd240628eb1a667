package engine

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The safetensors layout: an 8-byte little-endian header length, a JSON
// header mapping tensor names to dtype, shape and [begin, end) byte offsets
// into the data that follows, and __metadata__ (string to string). Kernels
// are stored in×out (Keras' "kernel" orientation), row-major, as F64 for a
// Float64 model and F32 for a Float32 one, so that a loaded model predicts
// exactly what the saved one did; a file of F32 tensors loads as Float32. A
// regression model's target scaling (Config.TargetMean/TargetStd) is kept in
// __metadata__, the kernels staying in the standardised units the network
// learned in; the ONNX and JSON exports fold it in instead (DenseLayers).

const (
	metaPrefix    = "workbench."
	maxHeaderSize = 100 << 20 // the reference implementation's limit
)

// TensorInfo is one tensor's entry in a safetensors header: DataOffsets
// are [begin, end) bytes from the start of the data, after the header.
type TensorInfo struct {
	Dtype       string   `json:"dtype"`
	Shape       []int64  `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// tensorSpec is one tensor the model expects: where it lives in params.
type tensorSpec struct {
	name  string
	shape []int64
	off   int
	n     int
}

func (m *model) tensors() []tensorSpec {
	var ts []tensorSpec
	k := 0
	for _, l := range m.layers {
		if l.kind != kindDense {
			continue
		}
		ts = append(ts,
			tensorSpec{fmt.Sprintf("dense_%d.kernel", k), []int64{int64(l.in), int64(l.out)}, l.wOff, l.in * l.out},
			tensorSpec{fmt.Sprintf("dense_%d.bias", k), []int64{int64(l.out)}, l.bOff, l.out})
		k++
	}
	return ts
}

// WriteSafetensors writes the weights in the safetensors format; meta goes in
// __metadata__ beside the spec the engine stores there itself.
func (m *Model) WriteSafetensors(w io.Writer, meta map[string]string) error {
	mi := m.impl
	md := map[string]string{}
	for k, v := range meta {
		if strings.HasPrefix(k, metaPrefix) {
			return fmt.Errorf("safetensors: metadata key %q is reserved (prefix %q)", k, metaPrefix)
		}
		md[k] = v
	}
	md[metaPrefix+"format"] = "1"
	if mi.scaled() {
		// Format 2 says "has target scaling": a build that predates it
		// refuses the file rather than answer in standardised units.
		md[metaPrefix+"format"] = "2"
		md[metaPrefix+"target_mean"] = formatFloats(mi.cfg.TargetMean)
		md[metaPrefix+"target_std"] = formatFloats(mi.cfg.TargetStd)
	}
	md[metaPrefix+"task"] = mi.cfg.Task.String()
	md[metaPrefix+"inputs"] = strconv.Itoa(mi.cfg.Inputs)
	md[metaPrefix+"outputs"] = strconv.Itoa(mi.cfg.Outputs)
	md[metaPrefix+"layers"] = FormatLayers(mi.cfg.Layers)
	md[metaPrefix+"loss"] = mi.cfg.Loss
	md[metaPrefix+"seed"] = strconv.FormatInt(mi.cfg.Seed, 10)
	md[metaPrefix+"dtype"] = mi.cfg.DType.String() // informative: the tensors' dtype decides

	header := map[string]any{"__metadata__": md}
	var off int64
	ts := mi.tensors()
	dtype, size := "F64", int64(8)
	if mi.cfg.DType == Float32 {
		dtype, size = "F32", 4
	}
	for _, t := range ts {
		header[t.name] = TensorInfo{Dtype: dtype, Shape: t.shape, DataOffsets: [2]int64{off, off + size*int64(t.n)}}
		off += size * int64(t.n)
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	// Pad with spaces so the data starts 8-byte aligned, as the format
	// recommends for readers that map the file.
	for (8+len(hj))%8 != 0 {
		hj = append(hj, ' ')
	}
	buf := make([]byte, 8, 8+len(hj)+int(off))
	binary.LittleEndian.PutUint64(buf, uint64(len(hj)))
	buf = append(buf, hj...)
	for _, t := range ts {
		if mi.params32 != nil {
			for _, v := range mi.params32[t.off : t.off+t.n] {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
			continue
		}
		for _, v := range mi.params[t.off : t.off+t.n] {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
	}
	_, err = w.Write(buf)
	return err
}

// formatFloats writes vs as a JSON array; 'g' with -1 digits is the
// shortest form that parses back to the same bits.
func formatFloats(vs []float64) string {
	b := []byte{'['}
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return string(append(b, ']'))
}
