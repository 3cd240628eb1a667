package cli

// End-to-end tests of issue 20's table flags: train on a mixed table
// (numbers, categories with gaps, an identifier, a date), then predict,
// continue, show and export it, as a user would with the binary.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mixedTable writes a Titanic-like CSV: PassengerId, Name (every value
// differs), Pclass (numbers 1-3), Sex, Age (gaps), Port (gaps), Boarded
// (a date), Fare and Survived, preceded by preamble.
func mixedTable(t *testing.T, preamble string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(preamble)
	b.WriteString("PassengerId,Name,Pclass,Sex,Age,Port,Boarded,Fare,Survived\n")
	ports := []string{"S", "C", "Q", "S", ""}
	for i := range 200 {
		sex := []string{"male", "female"}[i%2]
		age := fmt.Sprint(5 + (i*7)%60)
		if i%9 == 0 {
			age = ""
		}
		surv := 0
		if sex == "female" || i%5 == 1 {
			surv = 1
		}
		fmt.Fprintf(&b, "%d,Person %d,%d,%s,%s,%s,2003-%02d-%02d,%d.5,%d\n",
			i+1, i, 1+i%3, sex, age, ports[i%len(ports)], 1+i%12, 1+i%28, 10+i%50, surv)
	}
	path := filepath.Join(t.TempDir(), "mixed.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// storedSession reads the one session.json in home.
func storedSession(t *testing.T, home string) map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(home, "sessions", "*", "session.json"))
	if len(files) != 1 {
		t.Fatalf("want one session in %s, found %d", home, len(files))
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// inputsOf lists a stored session's preprocessed inputs as "name:kind".
func inputsOf(m map[string]any) []string {
	pre, _ := m["preprocess"].(map[string]any)
	ins, _ := pre["inputs"].([]any)
	var out []string
	for _, in := range ins {
		o := in.(map[string]any)
		out = append(out, fmt.Sprintf("%s:%s", o["name"], o["kind"]))
	}
	return out
}

func TestCLITableFlags(t *testing.T) {
	plain := mixedTable(t, "")
	counted := mixedTable(t, "200,8,,,,,,,\n")
	all := []string{"PassengerId:numeric", "Pclass:numeric", "Sex:categorical", "Age:numeric", "Port:categorical", "Boarded:date", "Fare:numeric"}
	for _, tc := range []struct {
		name   string
		data   string
		args   []string
		inputs []string // on success: the stored inputs
		table  string   // on success: data.table as stored JSON
		errs   []string // on failure: what stderr must say
	}{
		{"impute median", plain, []string{"--impute", "median"}, all, `{"impute":"median"}`, nil},
		{"no impute: a gap in Age is refused", plain, nil, nil, "", []string{`"Age"`, "--drop-missing", "--impute"}},
		{"drop-missing instead", plain, []string{"--drop-missing"}, all, `{}`, nil},
		{"features by name and index", plain, []string{"--impute", "mean", "--features", "Sex,4"}, []string{"Sex:categorical", "Age:numeric"}, `{"features":["Sex","4"],"impute":"mean"}`, nil},
		{"drop", plain, []string{"--drop", "PassengerId,Fare", "--drop-missing"}, []string{"Pclass:numeric", "Sex:categorical", "Age:numeric", "Port:categorical", "Boarded:date"}, `{"drop":["PassengerId","Fare"]}`, nil},
		{"categorical", plain, []string{"--categorical", "Pclass", "--drop-missing"}, []string{"PassengerId:numeric", "Pclass:categorical", "Sex:categorical", "Age:numeric", "Port:categorical", "Boarded:date", "Fare:numeric"}, `{"categorical":["Pclass"]}`, nil},
		{"drop-dates", plain, []string{"--drop-dates", "--drop-missing"}, []string{"PassengerId:numeric", "Pclass:numeric", "Sex:categorical", "Age:numeric", "Port:categorical", "Fare:numeric"}, `{"drop_dates":true}`, nil},
		{"max-categories above the vocabulary", plain, []string{"--max-categories", "4", "--drop-missing"}, all, `{"max_categories":4}`, nil},
		{"max-categories below it", plain, []string{"--max-categories", "2", "--drop-missing"}, nil, "", []string{"--drop Port", "--max-categories"}},
		{"skip-rows over a count line", counted, []string{"--skip-rows", "1", "--drop-missing"}, all, `{"skip_rows":1}`, nil},
		{"count line suggests skip-rows", counted, []string{"--drop-missing"}, nil, "", []string{"count line", "--skip-rows 1"}},
		{"unknown impute", plain, []string{"--impute", "sideways"}, nil, "", []string{`--impute "sideways"`, "median"}},
		{"max-categories 0", plain, []string{"--max-categories", "0"}, nil, "", []string{"--max-categories must be at least 1"}},
		{"negative skip-rows", plain, []string{"--skip-rows", "-1"}, nil, "", []string{"--skip-rows must be 0 or more"}},
		{"empty name in a list", plain, []string{"--drop", "Fare,,Age"}, nil, "", []string{"--drop has an empty column name"}},
		{"unknown column", plain, []string{"--drop", "Cabin", "--drop-missing"}, nil, "", []string{"--drop", `"Cabin"`}},
		{"the target in --features", plain, []string{"--features", "Survived,Sex", "--drop-missing"}, nil, "", []string{"--features", "target"}},
		{"table flag on a built-in set", "iris", []string{"--drop", "0"}, nil, "", []string{"--drop applies to CSV files only"}},
		{"table flag on a synthetic set", "spiral?n=60", []string{"--impute", "mean"}, nil, "", []string{"--impute applies to CSV files only"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			args := append([]string{"train", "--home", home, "--data", tc.data, "--target", "Survived", "--epochs", "1", "--json"}, tc.args...)
			if !strings.HasSuffix(tc.data, ".csv") {
				args = slices.DeleteFunc(args, func(a string) bool { return a == "--target" || a == "Survived" })
			}
			r := runWB(t, "", args...)
			if tc.errs != nil {
				if r.code != 1 {
					t.Fatalf("exit %d, want 1; stderr %q", r.code, r.stderr)
				}
				for _, w := range tc.errs {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("stderr %q does not say %q", r.stderr, w)
					}
				}
				if out := mustWB(t, "", "sessions", "--json", "--home", home); strings.TrimSpace(out) != "[]" {
					t.Fatalf("a refused run stored a session: %s", out)
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d; stderr %s", r.code, r.stderr)
			}
			m := storedSession(t, home)
			if got := inputsOf(m); !slices.Equal(got, tc.inputs) {
				t.Errorf("inputs %v, want %v", got, tc.inputs)
			}
			data := m["data"].(map[string]any)
			if b, _ := json.Marshal(data["table"]); string(b) != tc.table {
				t.Errorf("data.table %s, want %s", b, tc.table)
			}
		})
	}
}

func TestCLITableTrainPredict(t *testing.T) {
	home := t.TempDir()
	data := mixedTable(t, "")
	r := runWB(t, "", "train", "--home", home, "--data", data, "--target", "Survived", "--impute", "median", "--epochs", "30", "--json")
	if r.code != 0 {
		t.Fatalf("train: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, `Note: column "Name" left out: every value differs`) {
		t.Errorf("no note about the identifier on stderr: %q", r.stderr)
	}
	lines := jsonLines(t, r.stdout)
	if acc := lines[len(lines)-1]["test_accuracy"].(float64); acc < 0.75 {
		t.Errorf("test accuracy %.3f on a table whose Sex column nearly decides the class", acc)
	}

	show := mustWB(t, "", "sessions", "--table", "show", "latest", "--home", home)
	for _, w := range []string{"Columns   --impute median", "Input columns (7, encoded into", "Sex          categorical  2 categories + unknown: female, male", "Port         categorical  4 categories + unknown: (missing), C, Q, S", "Boarded      date"} {
		if !strings.Contains(show, w) {
			t.Errorf("sessions show lacks %q:\n%s", w, show)
		}
	}

	// Raw rows by header (extra columns ignored, order free), an unseen
	// port, gaps filled; then the same rows as JSON lists and objects.
	csvRows := "Name,Fare,Boarded,Port,Age,Sex,Pclass,PassengerId\nAnn,80.5,2003-09-19,C,30,female,1,1\nBob,10,19-Sep-03,Atlantis,,male,3,2\n"
	out := mustWB(t, csvRows, "predict", "--home", home, "--json")
	var byCSV struct {
		Labels []string `json:"labels"`
	}
	if err := json.Unmarshal([]byte(out), &byCSV); err != nil || !slices.Equal(byCSV.Labels, []string{"1", "0"}) {
		t.Errorf("predict on CSV rows: %s (%v); want labels 1 then 0", out, err)
	}
	jsonRows := `{"input_data": [[1, 1, "female", 30, "C", "2003-09-19", 80.5],
		{"PassengerId": 2, "Pclass": "3", "Sex": "male", "Age": null, "Port": "Atlantis", "Boarded": "2003-09-19", "Fare": 10, "Survived": 0}]}`
	if got := mustWB(t, jsonRows, "predict", "--home", home, "--json"); got != out {
		t.Errorf("JSON rows predict %s, CSV rows %s", got, out)
	}

	for _, tc := range []struct{ name, in, want string }{
		{"date in an unknown form", "1,1,female,30,C,19.09.2003,80\n", `row 1, column "Boarded": "19.09.2003" is not a date in a known form`},
		{"text in a number column", "1,1,female,old,C,2003-09-19,80\n", `row 1, column "Age": "old" is not a number`},
		{"short row", "1,1,female,30\n", "row 1: 4 values, expected 7"},
		{"JSON row missing a column", `[{"PassengerId": 1}]`, `input[0] is missing column "Pclass"`},
		{"JSON boolean", `[[1, 1, true, 30, "C", "2003-09-19", 80]]`, "input[0][2] must be a number, a string or null; got a boolean"},
		{"JSON bad date, as the server says it", `{"input_data": [[1, 1, "female", 30, "C", "19.09.2003", 80]]}`, `input_data[0]: column "Boarded": "19.09.2003" is not a date`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWB(t, tc.in, "predict", "--home", home)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, tc.want)
			}
		})
	}

	// Continuing refits the preprocessing to the same values; a changed
	// file is refused, not trained on with other columns.
	mustWB(t, "", "train", "--home", home, "--session", "latest", "--epochs", "1", "--json")
	b, _ := os.ReadFile(data)
	if err := os.WriteFile(data, []byte(strings.ReplaceAll(string(b), ",Q,", ",Z,")), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runWB(t, "", "train", "--home", home, "--session", "latest", "--epochs", "1"); r.code != 1 || !strings.Contains(r.stderr, "changed") {
		t.Errorf("continuing on a changed file: exit %d, %q", r.code, r.stderr)
	}
	if r := runWB(t, "", "train", "--home", home, "--session", "latest", "--drop", "Fare"); r.code != 1 || !strings.Contains(r.stderr, "--drop cannot change when continuing") {
		t.Errorf("--drop when continuing: exit %d, %q", r.code, r.stderr)
	}

	// Exports: ONNX refused (its graph would take one-hot features), the
	// other formats carry the preprocessing.
	dir := t.TempDir()
	if r := runWB(t, "", "export", "--home", home, "--format", "onnx", "-o", filepath.Join(dir, "m.onnx")); r.code != 1 || !strings.Contains(r.stderr, "ONNX export cannot carry that preprocessing") {
		t.Errorf("ONNX export of a table session: exit %d, %q", r.code, r.stderr)
	}
	if r := runWB(t, "", "export", "--home", home, "--format", "triton", "-o", filepath.Join(dir, "repo")); r.code != 1 || !strings.Contains(r.stderr, "ONNX export cannot carry that preprocessing") {
		t.Errorf("Triton export of a table session: exit %d, %q", r.code, r.stderr)
	}
	for _, f := range []string{"m.onnx", "repo"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("a refused export left %s", f)
		}
	}
	mustWB(t, "", "export", "--home", home, "--format", "json", "-o", filepath.Join(dir, "m.json"))
	var doc struct {
		Preprocess struct {
			Inputs []struct {
				Name       string   `json:"name"`
				Categories []string `json:"categories"`
			} `json:"inputs"`
		} `json:"preprocess"`
	}
	jb, _ := os.ReadFile(filepath.Join(dir, "m.json"))
	if err := json.Unmarshal(jb, &doc); err != nil || len(doc.Preprocess.Inputs) != 7 || !slices.Equal(doc.Preprocess.Inputs[2].Categories, []string{"female", "male"}) {
		t.Errorf("JSON export's preprocess: %+v (%v)", doc.Preprocess, err)
	}
	mustWB(t, "", "export", "--home", home, "--format", "safetensors", "-o", filepath.Join(dir, "m.safetensors"))
	sb, _ := os.ReadFile(filepath.Join(dir, "m.safetensors"))
	if !strings.Contains(string(sb), `"preprocess"`) || !strings.Contains(string(sb), `female`) {
		t.Errorf("safetensors export has no preprocess metadata")
	}
}

// `workbench datasets FILE` previews the columns as train reads them.
func TestCLIDatasetsColumns(t *testing.T) {
	data := mixedTable(t, "")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"gaps shown, with what train needs", []string{data, "--target", "Survived"}, 0,
			[]string{"1  Name         ignored  text         200       0        every value differs", "4  Age          feature  numeric", "6  Boarded      feature  date", "8  Survived     target"},
			[]string{`Note: column "Name" left out`, "train needs --impute"}},
		{"flags as train takes them", []string{data, "--target", "Survived", "--drop", "Port", "--categorical", "Pclass", "--impute", "median"}, 0,
			[]string{"5  Port         ignored  ", "--drop", "2  Pclass       feature  categorical  3"}, nil},
		{"bad flag value", []string{data, "--max-categories", "0"}, 1, nil, []string{"--max-categories must be at least 1"}},
		{"table flag without a file", []string{"--drop", "x"}, 1, nil, []string{"--drop applies to a CSV file given as an argument"}},
		{"built-in name", []string{"iris"}, 1, nil, []string{"iris is a built-in dataset"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWB(t, "", append([]string{"datasets", "--table"}, tc.args...)...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, tc.code, r.stderr)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q: %q", w, r.stderr)
				}
			}
		})
	}
}
