package deploy

// Docker and Kubernetes cannot run where these tests run, so they check what
// can be checked without them: every manifest parses, the YAML and JSON
// forms of the InferenceService are the same object, and the ports, paths
// and user agree across the Dockerfile, the manifests and the probe binary.
// That the serve command accepts these flags is checked in package cli
// (cli/e2e_export_test.go), which can run it.

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// parseYAML reads the block-style subset of YAML the manifests use: nested
// mappings, "- " sequences (of scalars or mappings), plain or double-quoted
// scalars, full-line comments. Anything else (flow style, anchors, inline
// comments, multi-line strings) is an error, so the manifests stay simple
// enough to check.
func parseYAML(src string) (any, error) {
	var lines []yline
	for i, raw := range strings.Split(src, "\n") {
		t := strings.TrimSpace(raw)
		if t == "" || strings.HasPrefix(t, "#") || t == "---" {
			continue
		}
		if strings.Contains(raw, "\t") {
			return nil, fmt.Errorf("line %d: tab in indentation", i+1)
		}
		for _, bad := range []string{" #", "{", "[", "&", "*", "|", ">"} {
			if strings.HasPrefix(t, bad) || (bad == " #" && strings.Contains(t, bad)) {
				return nil, fmt.Errorf("line %d: %q is outside the YAML subset this test reads", i+1, t)
			}
		}
		lines = append(lines, yline{n: i + 1, indent: len(raw) - len(strings.TrimLeft(raw, " ")), text: strings.TrimRight(t, " ")})
	}
	p := &yparser{lines: lines}
	if len(lines) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	v, err := p.block(lines[0].indent)
	if err == nil && p.i < len(p.lines) {
		err = fmt.Errorf("line %d: unexpected indentation", p.lines[p.i].n)
	}
	return v, err
}

type yline struct {
	n, indent int
	text      string
}

type yparser struct {
	lines []yline
	i     int
}

func (p *yparser) block(indent int) (any, error) {
	if strings.HasPrefix(p.lines[p.i].text, "- ") || p.lines[p.i].text == "-" {
		return p.seq(indent)
	}
	return p.mapping(indent)
}

func (p *yparser) seq(indent int) (any, error) {
	list := []any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && strings.HasPrefix(p.lines[p.i].text, "- ") {
		l := p.lines[p.i]
		rest := strings.TrimPrefix(l.text, "- ")
		if _, _, isMap := splitKey(rest); isMap {
			// "- key: v" opens a mapping whose keys sit two columns in.
			p.lines[p.i] = yline{n: l.n, indent: indent + 2, text: rest}
			m, err := p.mapping(indent + 2)
			if err != nil {
				return nil, err
			}
			list = append(list, m)
			continue
		}
		v, err := scalar(rest, l.n)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		p.i++
	}
	return list, nil
}

func (p *yparser) mapping(indent int) (any, error) {
	m := map[string]any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent {
		l := p.lines[p.i]
		key, val, ok := splitKey(l.text)
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not key: value", l.n, l.text)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: key %q twice", l.n, key)
		}
		p.i++
		if val != "" {
			v, err := scalar(val, l.n)
			if err != nil {
				return nil, err
			}
			m[key] = v
			continue
		}
		if p.i >= len(p.lines) || p.lines[p.i].indent <= indent {
			return nil, fmt.Errorf("line %d: %q has no value", l.n, key)
		}
		v, err := p.block(p.lines[p.i].indent)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	if p.i < len(p.lines) && p.lines[p.i].indent > indent {
		return nil, fmt.Errorf("line %d: unexpected indentation", p.lines[p.i].n)
	}
	return m, nil
}

// splitKey splits "key: value" or "key:"; a colon inside a value such as
// "0.0.0.0:8080" is not followed by a space, so it does not split.
func splitKey(s string) (key, val string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		return "", "", false
	}
	if k, ok := strings.CutSuffix(s, ":"); ok && !strings.Contains(k, ": ") {
		return k, "", true
	}
	k, v, ok := strings.Cut(s, ": ")
	if !ok || strings.ContainsAny(k, " ") {
		return "", "", false
	}
	return k, strings.TrimSpace(v), true
}

// scalar types a value the way JSON decoding would: numbers as float64,
// true/false as bool, quoted text as string.
func scalar(s string, line int) (any, error) {
	if s != "" && strings.ContainsAny(s[:1], "[{&*|>!%@`") {
		return nil, fmt.Errorf("line %d: %q is outside the YAML subset this test reads", line, s)
	}
	if strings.HasPrefix(s, `"`) {
		v, err := strconv.Unquote(s)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		return v, nil
	}
	if s == "true" || s == "false" {
		return s == "true", nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, nil
	}
	return s, nil
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dig follows a path of map keys and list indexes.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not a mapping at %q", path, k)
			}
			v, ok = m[k]
			if !ok {
				t.Fatalf("%v: no key %q", path, k)
			}
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: no item %d", path, k)
			}
			v = l[k]
		}
	}
	return v
}

func TestInferenceService(t *testing.T) {
	y, err := parseYAML(readFile(t, "kserve/inferenceservice.yaml"))
	if err != nil {
		t.Fatalf("inferenceservice.yaml: %v", err)
	}
	var j any
	if err := json.Unmarshal([]byte(readFile(t, "kserve/inferenceservice.json")), &j); err != nil {
		t.Fatalf("inferenceservice.json: %v", err)
	}
	if !reflect.DeepEqual(y, j) {
		yb, _ := json.MarshalIndent(y, "", " ")
		t.Fatalf("the YAML and JSON InferenceService differ; YAML reads as:\n%s", yb)
	}
	if dig(t, j, "apiVersion") != "serving.kserve.io/v1beta1" || dig(t, j, "kind") != "InferenceService" {
		t.Errorf("not a serving.kserve.io/v1beta1 InferenceService")
	}
	c := dig(t, j, "spec", "predictor", "containers", 0)
	if dig(t, c, "name") != "kserve-container" {
		t.Errorf("container named %v; KServe expects kserve-container", dig(t, c, "name"))
	}
	var args []string
	for _, a := range dig(t, c, "args").([]any) {
		args = append(args, a.(string))
	}
	addr := flagValue(args, "--addr")
	_, port, err := net.SplitHostPort(addr)
	if args[0] != "serve" || err != nil || !strings.HasPrefix(addr, "0.0.0.0:") {
		t.Fatalf("args %q: want serve --addr 0.0.0.0:PORT (all interfaces, or the kubelet cannot probe)", args)
	}
	want, _ := strconv.ParseFloat(port, 64)
	for _, p := range []struct {
		path []any
		val  any
	}{
		{[]any{"ports", 0, "containerPort"}, want},
		{[]any{"readinessProbe", "httpGet", "port"}, want},
		{[]any{"readinessProbe", "httpGet", "path"}, "/v2/health/ready"},
		{[]any{"livenessProbe", "httpGet", "port"}, want},
		{[]any{"livenessProbe", "httpGet", "path"}, "/v2/health/live"},
		{[]any{"volumeMounts", 0, "mountPath"}, envValue(t, c, "WORKBENCH_HOME")},
	} {
		if got := dig(t, c, p.path...); got != p.val {
			t.Errorf("container %v = %v, want %v", p.path, got, p.val)
		}
	}
	if dig(t, j, "spec", "predictor", "securityContext", "runAsNonRoot") != true {
		t.Error("predictor does not require a non-root user")
	}
	pvc, err := parseYAML(readFile(t, "kserve/pvc.yaml"))
	if err != nil {
		t.Fatalf("pvc.yaml: %v", err)
	}
	if dig(t, pvc, "metadata", "name") != dig(t, j, "spec", "predictor", "volumes", 0, "persistentVolumeClaim", "claimName") {
		t.Error("the InferenceService mounts a claim that pvc.yaml does not define")
	}
}

func envValue(t *testing.T, c any, name string) any {
	for _, e := range dig(t, c, "env").([]any) {
		if dig(t, e, "name") == name {
			return dig(t, e, "value")
		}
	}
	t.Fatalf("no env %s", name)
	return nil
}

func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func TestParseYAMLRejects(t *testing.T) {
	for _, src := range []string{
		"a: 1\n  b: 2\n",      // indentation out of nowhere
		"a:\n",                // key without value
		"a: [1, 2]\n",         // flow style
		"a: 1\na: 2\n",        // duplicate key
		"a: \"unterminated\n", // bad quote
		"a: 1 # comment\n",    // inline comment
		"just text\n",
	} {
		if v, err := parseYAML(src); err == nil {
			t.Errorf("parseYAML(%q) = %v, want an error", src, v)
		}
	}
}

// dockerfile splits a Dockerfile into instructions (continuation lines
// joined, comments dropped).
func dockerfile(src string) [][2]string {
	var out [][2]string
	var cur string
	for _, l := range strings.Split(src, "\n") {
		t := strings.TrimSpace(l)
		if cur == "" && (t == "" || strings.HasPrefix(t, "#")) {
			continue
		}
		if c, ok := strings.CutSuffix(t, "\\"); ok {
			cur += c + " "
			continue
		}
		cur += t
		op, arg, _ := strings.Cut(cur, " ")
		out = append(out, [2]string{strings.ToUpper(op), strings.TrimSpace(arg)})
		cur = ""
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := dockerfile(readFile(t, "Dockerfile"))
	var froms []string
	got := map[string]string{} // last of each instruction in the final stage
	var build string
	for _, in := range ins {
		if in[0] == "FROM" {
			froms = append(froms, in[1])
			got = map[string]string{}
		}
		if in[0] == "RUN" && len(froms) == 1 {
			build += in[1] + "\n"
		}
		got[in[0]] = in[1]
	}
	if len(froms) != 2 || !strings.HasPrefix(froms[0], "golang:1.26 ") {
		t.Fatalf("stages %q: want a golang:1.26 build stage and a final stage", froms)
	}
	if !strings.Contains(froms[1], "distroless/static") && froms[1] != "scratch" {
		t.Errorf("final stage %q: want distroless/static or scratch", froms[1])
	}
	for _, w := range []string{"CGO_ENABLED=0 go build", "-o /out/workbench .", "./deploy/healthcheck"} {
		if !strings.Contains(build, w) {
			t.Errorf("build stage lacks %q", w)
		}
	}
	if u := got["USER"]; u == "" || u == "root" || strings.HasPrefix(u, "0") {
		t.Errorf("USER %q: the image must run as non-root", u)
	}
	var entry, cmd, health []string
	for key, dst := range map[string]*[]string{"ENTRYPOINT": &entry, "CMD": &cmd} {
		if err := json.Unmarshal([]byte(got[key]), dst); err != nil {
			t.Fatalf("%s %s: want exec (JSON) form: %v", key, got[key], err)
		}
	}
	h, ok := strings.CutPrefix(got["HEALTHCHECK"], "")
	if i := strings.Index(h, "CMD "); ok && i >= 0 {
		if err := json.Unmarshal([]byte(h[i+4:]), &health); err != nil {
			t.Fatalf("HEALTHCHECK %s: %v", h, err)
		}
	}
	if len(entry) != 1 || entry[0] != "/workbench" || len(cmd) == 0 || cmd[0] != "serve" {
		t.Fatalf("ENTRYPOINT %q CMD %q: want /workbench serve ...", entry, cmd)
	}
	_, port, err := net.SplitHostPort(flagValue(cmd, "--addr"))
	if err != nil || !strings.HasPrefix(flagValue(cmd, "--addr"), "0.0.0.0:") {
		t.Fatalf("CMD %q: want --addr 0.0.0.0:PORT", cmd)
	}
	if got["EXPOSE"] != port {
		t.Errorf("EXPOSE %q but the server listens on %s", got["EXPOSE"], port)
	}
	if len(health) != 2 || health[0] != "/healthcheck" || health[1] != "http://127.0.0.1:"+port+"/v2/health/ready" {
		t.Errorf("HEALTHCHECK runs %q; want /healthcheck on http://127.0.0.1:%s/v2/health/ready", health, port)
	}
	if !strings.Contains(got["ENV"], "WORKBENCH_HOME=/data") {
		t.Errorf("ENV %q: want WORKBENCH_HOME=/data, where the manifests mount sessions", got["ENV"])
	}
}
