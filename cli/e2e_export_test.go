package cli

// End-to-end tests of `workbench export`: real sessions trained through the
// sessions API, exported through run() exactly as a user types it, and read
// back with an independent reader per format.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
	"workbench/engine/onnx"
	"workbench/engine/onnx/onnxtest"
	"workbench/sessions"
)

// trainExportSession trains a small session in home and returns it loaded
// back from disk, as export sees it.
func trainExportSession(t *testing.T, home, ref, layers string) *sessions.Session {
	t.Helper()
	return trainExportSessionAs(t, home, ref, layers, "")
}

// trainExportSessionAs is trainExportSession in a chosen compute type ("" is
// the default).
func trainExportSessionAs(t *testing.T, home, ref, layers, dtype string) *sessions.Session {
	t.Helper()
	h := sessions.DefaultHyper()
	h.Epochs = 3
	if dtype != "" {
		h.DType = dtype
	}
	p, err := sessions.Prepare(sessions.Plan{Name: "e2e " + ref, DataRef: ref, Layers: layers, Hyper: h})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sessions.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := st.Load(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

func runExportCmd(args ...string) (stdout, stderr string, err error) {
	var o, e bytes.Buffer
	err = run(context.Background(), append([]string{"export"}, args...), &o, &e)
	return o.String(), e.String(), err
}

// sampleRows are raw feature rows around the training data: the scaler's
// mean plus a few standard deviations either way.
func sampleRows(s *sessions.Session, n int) *mat.Dense {
	f := len(s.Scaler.Mean)
	x := mat.NewDense(n, f, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < f; j++ {
			z := math.Sin(float64(7*i+3*j+1)) * 2.5
			x.Set(i, j, s.Scaler.Mean[j]+z*s.Scaler.Std[j])
		}
	}
	return x
}

// forward is the inference pass of an export, written independently of the
// engine: scaler, then dense layers with their activations.
func forward(x *mat.Dense, mean, std []float64, layers []engine.DenseParams) *mat.Dense {
	n, f := x.Dims()
	a := mat.NewDense(n, f, nil)
	a.Copy(x)
	for i := 0; i < n; i++ {
		for j := 0; j < f; j++ {
			a.Set(i, j, (a.At(i, j)-mean[j])/std[j])
		}
	}
	for _, l := range layers {
		_, out := l.W.Dims()
		z := mat.NewDense(n, out, nil)
		z.Mul(a, l.W)
		for i := 0; i < n; i++ {
			row := z.RawRowView(i)
			for j := range row {
				row[j] += l.B[j]
			}
			switch l.Activation {
			case "softmax":
				mx := math.Inf(-1)
				for _, v := range row {
					mx = math.Max(mx, v)
				}
				var s float64
				for j, v := range row {
					row[j] = math.Exp(v - mx)
					s += row[j]
				}
				for j := range row {
					row[j] /= s
				}
			default:
				for j, v := range row {
					row[j] = act(l.Activation, v)
				}
			}
		}
		a = z
	}
	return a
}

func act(name string, v float64) float64 {
	switch name {
	case "relu":
		return math.Max(v, 0)
	case "leaky_relu":
		if v < 0 {
			return 0.01 * v
		}
	case "elu":
		if v < 0 {
			return math.Expm1(v)
		}
	case "gelu":
		return 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
	case "tanh":
		return math.Tanh(v)
	case "sigmoid":
		return 1 / (1 + math.Exp(-v))
	}
	return v
}

func assertClose(t *testing.T, what string, got, want *mat.Dense, tol float64) {
	t.Helper()
	gr, gc := got.Dims()
	wr, wc := want.Dims()
	if gr != wr || gc != wc {
		t.Fatalf("%s: %d×%d, want %d×%d", what, gr, gc, wr, wc)
	}
	for i := 0; i < wr; i++ {
		for j := 0; j < wc; j++ {
			g, w := got.At(i, j), want.At(i, j)
			if !(math.Abs(g-w) <= tol+tol*math.Abs(w)) {
				t.Fatalf("%s: row %d col %d = %v, want %v (tolerance %g abs+rel)", what, i, j, g, w, tol)
			}
		}
	}
}

func TestExportRoundTrip(t *testing.T) {
	home := t.TempDir()
	cases := []struct{ ref, layers, dtype string }{
		{"iris", "8:relu,dropout:0.2,6:gelu", "float64"},
		{"sine", "8:tanh", "float64"},
		{"iris", "8:relu,dropout:0.2,6:gelu", "float32"},
		{"sine", "8:tanh", "float32"},
	}
	for _, c := range cases {
		s := trainExportSessionAs(t, home, c.ref, c.layers, c.dtype)
		// The same weights: a float64 model's predictions are the float64
		// forward pass's to the last bits; a float32 model computes in
		// float32, so a float64 reference agrees to float32's precision.
		exact := 1e-12
		if c.dtype == "float32" {
			exact = 1e-5
		}
		c.ref += "/" + c.dtype
		x := sampleRows(s, 20)
		want := s.Predict(x)
		classifier := s.Model.Config().Task == engine.Classification
		dir := t.TempDir()

		t.Run(c.ref+"/onnx", func(t *testing.T) {
			path := filepath.Join(dir, "model.onnx")
			if _, _, err := runExportCmd("--home", home, "--session", s.ID, "-o", path); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			e, err := onnxtest.Read(b)
			if err != nil {
				t.Fatal(err)
			}
			if e.Metadata["session_id"] != s.ID || e.Metadata["layers"] != c.layers {
				t.Errorf("metadata %v lacks session_id %s / layers %q", e.Metadata, s.ID, c.layers)
			}
			if !reflect.DeepEqual(e.Features, s.Data.Features) {
				t.Errorf("features %q, want %q", e.Features, s.Data.Features)
			}
			if classifier && !reflect.DeepEqual(e.Classes, s.Data.Classes) {
				t.Errorf("classes %q, want %q", e.Classes, s.Data.Classes)
			}
			if e.Classifier() != classifier {
				t.Errorf("classifier %v, want %v", e.Classifier(), classifier)
			}
			// Weights went through float32: 1e-5 is the contract .ci/onnx.sh checks.
			assertClose(t, "onnx weights", forward(x, e.Mean, e.Std, e.Layers), want, 1e-5)
		})

		t.Run(c.ref+"/safetensors", func(t *testing.T) {
			path := filepath.Join(dir, "model.safetensors")
			if _, _, err := runExportCmd("--home", home, s.ID, "--format", "safetensors", "-o", path); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, meta, err := engine.ReadSafetensors(f)
			if err != nil {
				t.Fatal(err)
			}
			if meta["session_id"] != s.ID {
				t.Errorf("metadata session_id %q, want %q", meta["session_id"], s.ID)
			}
			var sc struct{ Mean, Std []float64 }
			if err := json.Unmarshal([]byte(meta["scaler"]), &sc); err != nil || !reflect.DeepEqual(sc.Mean, s.Scaler.Mean) || !reflect.DeepEqual(sc.Std, s.Scaler.Std) {
				t.Errorf("metadata scaler %q (%v), want %+v", meta["scaler"], err, s.Scaler)
			}
			var feats []string
			if err := json.Unmarshal([]byte(meta["features"]), &feats); err != nil || !reflect.DeepEqual(feats, s.Data.Features) {
				t.Errorf("metadata features %q, want %q", meta["features"], s.Data.Features)
			}
			if got := m.Config().DType.String(); got != c.dtype {
				t.Errorf("the file loads as a %s model, the session is %s", got, c.dtype)
			}
			assertClose(t, "safetensors", forward(x, sc.Mean, sc.Std, m.DenseLayers()), want, exact)
		})

		t.Run(c.ref+"/json", func(t *testing.T) {
			path := filepath.Join(dir, "model.json")
			if _, _, err := runExportCmd("--home", home, "--session", s.ID, "-o", path); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			stdout, _, err := runExportCmd("--home", home, "--session", s.ID, "--format", "json", "-o", "-")
			if err != nil {
				t.Fatal(err)
			}
			if stdout != string(b) {
				t.Error("-o - and -o FILE wrote different JSON")
			}
			// Read it as a stranger would: generic JSON, documented keys.
			var doc struct {
				Format   string   `json:"format"`
				Version  int      `json:"version"`
				Task     string   `json:"task"`
				Features []string `json:"features"`
				Classes  []string `json:"classes"`
				Scaler   struct {
					Mean []float64 `json:"mean"`
					Std  []float64 `json:"std"`
				} `json:"scaler"`
				Layers []struct {
					Type       string      `json:"type"`
					Units      int         `json:"units"`
					Activation string      `json:"activation"`
					Weights    [][]float64 `json:"weights"`
					Bias       []float64   `json:"bias"`
				} `json:"layers"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Format != "workbench-model" || doc.Version != 1 || doc.Task != s.Model.Config().Task.String() {
				t.Errorf("format %q version %d task %q", doc.Format, doc.Version, doc.Task)
			}
			if !reflect.DeepEqual(doc.Features, s.Data.Features) || (classifier && !reflect.DeepEqual(doc.Classes, s.Data.Classes)) {
				t.Errorf("names %q %q", doc.Features, doc.Classes)
			}
			var layers []engine.DenseParams
			for i, l := range doc.Layers {
				if l.Type != "dense" || l.Units != len(l.Bias) || len(l.Weights) == 0 || len(l.Weights[0]) != l.Units {
					t.Fatalf("layer %d: type %q units %d, %d biases, %d weight rows", i, l.Type, l.Units, len(l.Bias), len(l.Weights))
				}
				w := mat.NewDense(len(l.Weights), l.Units, nil)
				for r, row := range l.Weights {
					w.SetRow(r, row)
				}
				layers = append(layers, engine.DenseParams{W: w, B: l.Bias, Activation: l.Activation})
			}
			if len(layers) != len(s.Model.DenseLayers()) {
				t.Fatalf("%d layers, want %d (dropout is not listed)", len(layers), len(s.Model.DenseLayers()))
			}
			assertClose(t, "json", forward(x, doc.Scaler.Mean, doc.Scaler.Std, layers), want, exact)
		})
	}
}

func TestExportErrors(t *testing.T) {
	home := t.TempDir()
	s := trainExportSession(t, home, "iris", "4:relu")
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no output", []string{"--session", s.ID}, "missing -o"},
		{"unknown format", []string{"--format", "pmml", "-o", filepath.Join(dir, "m")}, `unknown --format "pmml"`},
		{"format not from extension", []string{"-o", filepath.Join(dir, "model.bin")}, "cannot tell the format"},
		{"triton to stdout", []string{"--format", "triton", "-o", "-"}, "writes a directory"},
		{"unknown session", []string{"--session", "nosuchsession", "-o", filepath.Join(dir, "m.onnx")}, `session "nosuchsession"`},
		{"two sessions", []string{s.ID, "other", "-o", filepath.Join(dir, "m.onnx")}, "unexpected argument"},
		{"bad triton name", []string{"--format", "triton", "--name", "../up", "-o", dir}, "model name"},
		{"missing output dir", []string{"-o", filepath.Join(dir, "no", "such", "m.onnx")}, "no/such"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runExportCmd(append([]string{"--home", home}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	assertNoTemp(t, dir)
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExportDamagedSession: a truncated or corrupted weights file is a clear
// error, and the file a previous export wrote is left as it was.
func TestExportDamagedSession(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)*2/3] }},
		{"empty", func(b []byte) []byte { return nil }},
		{"corrupted header", func(b []byte) []byte {
			b = append([]byte(nil), b...)
			copy(b[8:], "{{{{not json")
			return b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			s := trainExportSession(t, home, "iris", "4:tanh")
			weights, err := filepath.Glob(filepath.Join(home, "sessions", s.ID, "*.safetensors"))
			if err != nil || len(weights) != 1 {
				t.Fatalf("weights file of session %s: %v %v", s.ID, weights, err)
			}
			orig, err := os.ReadFile(weights[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(weights[0], tc.damage(orig), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range []string{"onnx", "safetensors", "json"} {
				out := filepath.Join(dir, "model."+f)
				if err := os.WriteFile(out, []byte("previous export"), 0o644); err != nil {
					t.Fatal(err)
				}
				_, _, err := runExportCmd("--home", home, "--session", s.ID, "-o", out)
				if err == nil {
					t.Fatalf("%s: export of a session with %s weights succeeded", f, tc.name)
				}
				if !strings.Contains(err.Error(), s.ID) {
					t.Errorf("%s: error %q does not name the session %s", f, err, s.ID)
				}
				if b, _ := os.ReadFile(out); string(b) != "previous export" {
					t.Errorf("%s: the previous export was changed to %d bytes", f, len(b))
				}
			}
			assertNoTemp(t, dir)
		})
	}
}

// pbtxt is the subset of protobuf text format config.pbtxt uses: scalar
// fields, [ ... ] lists of scalars or messages, and { ... } messages.
type pbtxt map[string][]any // a field's values: string, or pbtxt

func parsePbtxt(src string) (pbtxt, error) {
	var toks []string
	sc := bufio.NewScanner(strings.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 && !strings.Contains(line[:i], `"`) {
			line = line[:i]
		}
		for len(line) > 0 {
			line = strings.TrimLeft(line, " \t,")
			switch {
			case line == "":
			case strings.ContainsAny(line[:1], "{}[]:"):
				toks, line = append(toks, line[:1]), line[1:]
			case line[0] == '"':
				end := strings.IndexByte(line[1:], '"')
				if end < 0 {
					return nil, fmt.Errorf("unterminated string in %q", line)
				}
				toks, line = append(toks, line[:end+2]), line[end+2:]
			default:
				end := strings.IndexAny(line, " \t,{}[]:")
				if end < 0 {
					end = len(line)
				}
				toks, line = append(toks, line[:end]), line[end:]
			}
		}
	}
	p := &pbParser{toks: toks}
	m, err := p.message("")
	if err == nil && p.i != len(toks) {
		err = fmt.Errorf("unexpected %q", toks[p.i])
	}
	return m, err
}

type pbParser struct {
	toks []string
	i    int
}

func (p *pbParser) next() string {
	if p.i >= len(p.toks) {
		return ""
	}
	p.i++
	return p.toks[p.i-1]
}

func (p *pbParser) message(end string) (pbtxt, error) {
	m := pbtxt{}
	for {
		if p.i >= len(p.toks) {
			if end != "" {
				return nil, fmt.Errorf("missing %q", end)
			}
			return m, nil
		}
		if p.toks[p.i] == end {
			p.i++
			return m, nil
		}
		name := p.next()
		if strings.ContainsAny(name, `{}[]:"`) {
			return nil, fmt.Errorf("field name expected, got %q", name)
		}
		if p.i < len(p.toks) && p.toks[p.i] == ":" {
			p.i++
		}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if list, ok := v.([]any); ok {
			m[name] = append(m[name], list...)
		} else {
			m[name] = append(m[name], v)
		}
	}
}

func (p *pbParser) value() (any, error) {
	switch t := p.next(); t {
	case "{":
		return p.message("}")
	case "[":
		var list []any
		for p.i < len(p.toks) && p.toks[p.i] != "]" {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		if p.next() != "]" {
			return nil, fmt.Errorf("missing ]")
		}
		return list, nil
	case "", "}", "]", ":":
		return nil, fmt.Errorf("value expected, got %q", t)
	default:
		if strings.HasPrefix(t, `"`) {
			return strconv.Unquote(t)
		}
		return t, nil
	}
}

func (m pbtxt) str(key string) string {
	if v := m[key]; len(v) == 1 {
		if s, ok := v[0].(string); ok {
			return s
		}
	}
	return ""
}

// checkTritonConfig checks a config.pbtxt against an exported model: the
// names and dims Triton will bind must be the graph's.
func checkTritonConfig(t *testing.T, path string, e onnx.Export) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parsePbtxt(string(src))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if got := cfg.str("platform"); got != "onnxruntime_onnx" {
		t.Errorf("%s: platform %q", path, got)
	}
	if want := filepath.Base(filepath.Dir(path)); cfg.str("name") != want {
		t.Errorf("%s: name %q, want the directory name %q", path, cfg.str("name"), want)
	}
	if mb, err := strconv.Atoi(cfg.str("max_batch_size")); err != nil || mb < 1 {
		t.Errorf("%s: max_batch_size %q: want >= 1 so that dims leave out the batch", path, cfg.str("max_batch_size"))
	}
	if len(cfg["dynamic_batching"]) != 1 {
		t.Errorf("%s: no dynamic_batching block", path)
	}
	for _, io := range []struct {
		key, name string
		dim       int
	}{{"input", onnx.InputName, e.Inputs()}, {"output", e.OutputTensor(), e.Outputs()}} {
		if len(cfg[io.key]) != 1 {
			t.Fatalf("%s: %d %s entries, want 1", path, len(cfg[io.key]), io.key)
		}
		m, ok := cfg[io.key][0].(pbtxt)
		if !ok {
			t.Fatalf("%s: %s is not a message", path, io.key)
		}
		dims := fmt.Sprint(m["dims"])
		if m.str("name") != io.name || m.str("data_type") != "TYPE_FP32" || dims != fmt.Sprintf("[%d]", io.dim) {
			t.Errorf("%s: %s name %q type %q dims %s; the model has %q TYPE_FP32 [%d]", path, io.key, m.str("name"), m.str("data_type"), dims, io.name, io.dim)
		}
	}
}

// TestTritonLayout exports the Triton layout and checks both the generated
// config and the one committed under deploy/ against the exported graph.
func TestTritonLayout(t *testing.T) {
	home := t.TempDir()
	s := trainExportSession(t, home, "iris", "16:relu")
	repo := t.TempDir()
	if _, _, err := runExportCmd("--home", home, "--format", "triton", "--name", "iris", "-o", repo); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(repo, "iris", "1", "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := onnxtest.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	if e.Metadata["session_id"] != s.ID {
		t.Errorf("model.onnx is from session %q, want %q", e.Metadata["session_id"], s.ID)
	}
	checkTritonConfig(t, filepath.Join(repo, "iris", "config.pbtxt"), e)
	checkTritonConfig(t, filepath.Join("..", "deploy", "triton", "model_repository", "iris", "config.pbtxt"), e)
}

func TestParsePbtxtRejects(t *testing.T) {
	for _, src := range []string{`name: "x`, `input [ { name: "a" ]`, `input { dims: [ 4 }`, `: 3`} {
		if _, err := parsePbtxt(src); err == nil {
			t.Errorf("parsePbtxt(%q) succeeded", src)
		}
	}
}

// TestDeployServeArgs: the Dockerfile and the KServe manifest start
// `workbench serve` with flags this build must accept, or every replica
// would crash-loop on a renamed flag.
func TestDeployServeArgs(t *testing.T) {
	var help bytes.Buffer
	if err := run(context.Background(), []string{"serve", "--help"}, &help, &help); err != nil {
		t.Fatal(err)
	}
	var cmd []string
	for _, line := range strings.Split(readTestFile(t, "../deploy/Dockerfile"), "\n") {
		if c, ok := strings.CutPrefix(line, "CMD "); ok {
			if err := json.Unmarshal([]byte(c), &cmd); err != nil {
				t.Fatalf("Dockerfile CMD %s: %v", c, err)
			}
		}
	}
	var isvc struct {
		Spec struct {
			Predictor struct {
				Containers []struct {
					Args []string `json:"args"`
				} `json:"containers"`
			} `json:"predictor"`
		} `json:"spec"`
	}
	if err := json.Unmarshal([]byte(readTestFile(t, "../deploy/kserve/inferenceservice.json")), &isvc); err != nil {
		t.Fatal(err)
	}
	if len(cmd) == 0 || len(isvc.Spec.Predictor.Containers) != 1 {
		t.Fatalf("Dockerfile CMD %q, %d KServe containers", cmd, len(isvc.Spec.Predictor.Containers))
	}
	for where, args := range map[string][]string{"Dockerfile CMD": cmd, "KServe args": isvc.Spec.Predictor.Containers[0].Args} {
		if args[0] != "serve" {
			t.Errorf("%s %q does not run serve", where, args)
		}
		for _, a := range args {
			if strings.HasPrefix(a, "--") && !strings.Contains(help.String(), "-"+strings.TrimLeft(a, "-")+" ") {
				t.Errorf("%s uses %s, which 'workbench serve --help' does not list", where, a)
			}
		}
	}
}

func readTestFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
