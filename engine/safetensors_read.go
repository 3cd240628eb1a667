package engine

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// SafetensorsHeader is the JSON header of a safetensors file.
type SafetensorsHeader struct {
	Size     int64                 // bytes of JSON; the tensor data starts at byte 8+Size
	Metadata map[string]string     // __metadata__; empty, not nil, when absent
	Tensors  map[string]TensorInfo // every other entry, by tensor name
}

// DataSize is where the tensor data ends by the header's word: the largest
// end offset, so a well-formed file is 8+Size+DataSize bytes long.
func (h SafetensorsHeader) DataSize() int64 {
	var end int64
	for _, t := range h.Tensors {
		end = max(end, t.DataOffsets[1])
	}
	return end
}

// ReadSafetensorsHeader reads the 8-byte length and the JSON header of a
// safetensors file from r, leaving r at the first byte of tensor data. The
// length is a claim: it must lie in 2..100 MiB (the reference
// implementation's limit) and the header's bytes are read as they arrive,
// so a lying length cannot allocate what r does not hold. An entry with
// fields other than dtype, shape and data_offsets is an error. Errors start
// with "safetensors:" and say "truncated" when r ends early.
func ReadSafetensorsHeader(r io.Reader) (SafetensorsHeader, error) {
	fail := func(format string, args ...any) (SafetensorsHeader, error) {
		return SafetensorsHeader{}, fmt.Errorf("safetensors: "+format, args...)
	}
	var lenBuf [8]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return fail("truncated file: cannot read the 8-byte header length (%v)", err)
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	if hlen < 2 || hlen > maxHeaderSize {
		return fail("header length %d out of range (2..%d); not a safetensors file?", hlen, maxHeaderSize)
	}
	hj, err := io.ReadAll(io.LimitReader(r, int64(hlen)))
	if err != nil {
		return fail("reading header: %v", err)
	}
	if uint64(len(hj)) != hlen {
		return fail("truncated file: header is %d bytes, file holds %d", hlen, len(hj))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hj, &raw); err != nil {
		return fail("header is not a JSON object: %v", err)
	}
	h := SafetensorsHeader{Size: int64(hlen), Metadata: map[string]string{}, Tensors: make(map[string]TensorInfo, len(raw))}
	if rm, ok := raw["__metadata__"]; ok {
		if err := json.Unmarshal(rm, &h.Metadata); err != nil {
			return fail("__metadata__ must map strings to strings: %v", err)
		}
		delete(raw, "__metadata__")
	}
	for name, rm := range raw {
		var ti TensorInfo
		dec := json.NewDecoder(bytes.NewReader(rm))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ti); err != nil {
			return fail("tensor %q: bad entry: %v", name, err)
		}
		h.Tensors[name] = ti
	}
	return h, nil
}

// ReadSafetensors loads a model written by WriteSafetensors and returns the
// user metadata. A truncated or corrupted file is an error, never a panic.
func ReadSafetensors(r io.Reader) (*Model, map[string]string, error) {
	fail := func(format string, args ...any) (*Model, map[string]string, error) {
		return nil, nil, fmt.Errorf("safetensors: "+format, args...)
	}
	h, err := ReadSafetensorsHeader(r)
	if err != nil {
		return nil, nil, err
	}
	md, infos := h.Metadata, h.Tensors
	cfg, err := configFromMeta(md)
	if err != nil {
		return fail("%v", err)
	}
	// A file whose tensors are all F32 holds a Float32 model (what
	// WriteSafetensors writes for one); any F64 makes it Float64, so that
	// files written before float32 existed load as they always did.
	cfg.DType = Float32
	for _, ti := range infos {
		if ti.Dtype != "F32" {
			cfg.DType = Float64
		}
	}
	m, err := newModel(cfg)
	if err != nil {
		return fail("metadata describes a bad model: %v", err)
	}
	ts := m.tensors()
	if len(infos) != len(ts) {
		return fail("file holds %d tensors, the model in its metadata has %d", len(infos), len(ts))
	}
	type span struct{ begin, end int64 }
	var spans []span
	for _, t := range ts {
		ti, ok := infos[t.name]
		if !ok {
			return fail("missing tensor %q", t.name)
		}
		size := int64(8)
		switch ti.Dtype {
		case "F64":
		case "F32":
			size = 4
		default:
			return fail("tensor %q has dtype %q; allowed: F64, F32", t.name, ti.Dtype)
		}
		if !equalShape(ti.Shape, t.shape) {
			return fail("tensor %q has shape %v, the model wants %v", t.name, ti.Shape, t.shape)
		}
		b, e := ti.DataOffsets[0], ti.DataOffsets[1]
		if b < 0 || e < b || e-b != size*int64(t.n) {
			return fail("tensor %q: data_offsets [%d, %d] do not hold %d %s values", t.name, b, e, t.n, ti.Dtype)
		}
		spans = append(spans, span{b, e})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].begin < spans[j].begin })
	var total int64
	for _, s := range spans {
		if s.begin != total {
			return fail("tensor data overlaps or leaves a gap at byte %d", total)
		}
		total = s.end
	}
	data, err := io.ReadAll(io.LimitReader(r, total))
	if err != nil {
		return fail("reading tensor data: %v", err)
	}
	if int64(len(data)) != total {
		return fail("truncated file: tensor data is %d bytes, file holds %d", total, len(data))
	}
	m.alloc()
	for _, t := range ts {
		ti := infos[t.name]
		src := data[ti.DataOffsets[0]:ti.DataOffsets[1]]
		for i := range t.n {
			var v float64
			if ti.Dtype == "F64" {
				v = math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:]))
			} else {
				v = float64(math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:])))
			}
			if !finite(v) {
				return fail("tensor %q holds %v at index %d", t.name, v, i)
			}
			if m.params32 != nil {
				m.params32[t.off+i] = float32(v) // every tensor is F32: exact
			} else {
				m.params[t.off+i] = v
			}
		}
	}
	user := map[string]string{}
	for k, v := range md {
		if !strings.HasPrefix(k, metaPrefix) {
			user[k] = v
		}
	}
	return &Model{impl: m}, user, nil
}

func equalShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func configFromMeta(md map[string]string) (Config, error) {
	var cfg Config
	get := func(k string) (string, error) {
		v, ok := md[metaPrefix+k]
		if !ok {
			return "", fmt.Errorf("__metadata__ lacks %q; not a Workbench model file", metaPrefix+k)
		}
		return v, nil
	}
	var errs []error
	num := func(k string) int64 {
		s, err := get(k)
		if err != nil {
			errs = append(errs, err)
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("__metadata__ %q = %q is not an integer", metaPrefix+k, s))
		}
		return n
	}
	format, err := get("format")
	if err != nil {
		return cfg, err
	}
	if format != "1" && format != "2" {
		return cfg, fmt.Errorf("file format version %q not supported (want 1 or 2)", format)
	}
	cfg.Inputs, cfg.Outputs, cfg.Seed = int(num("inputs")), int(num("outputs")), num("seed")
	if err := errors.Join(errs...); err != nil {
		return cfg, err
	}
	task, err := get("task")
	if err != nil {
		return cfg, err
	}
	switch task {
	case "classification":
		cfg.Task = Classification
	case "regression":
		cfg.Task = Regression
	default:
		return cfg, fmt.Errorf("__metadata__ task %q unknown; want classification or regression", task)
	}
	spec, err := get("layers")
	if err != nil {
		return cfg, err
	}
	if cfg.Layers, err = ParseLayers(spec); err != nil {
		return cfg, err
	}
	if cfg.Loss, err = get("loss"); err != nil {
		return cfg, err
	}
	// Format 1 files predate target scaling: they load as identity.
	if format == "2" {
		for _, f := range []struct {
			key string
			dst *[]float64
		}{{"target_mean", &cfg.TargetMean}, {"target_std", &cfg.TargetStd}} {
			v, err := get(f.key)
			if err != nil {
				return cfg, err
			}
			if err := json.Unmarshal([]byte(v), f.dst); err != nil || *f.dst == nil {
				return cfg, fmt.Errorf("__metadata__ %q = %q is not a JSON array of numbers", metaPrefix+f.key, v)
			}
		}
	}
	return cfg, nil
}
