package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// predictBody is predict's JSON with --keep-going: a prediction (a list)
// or a failed row ({"row": N, "error": "..."}) per input row.
type predictBody struct {
	Predictions []json.RawMessage `json:"predictions"`
	Labels      []*string         `json:"labels"`
}

func decodePredict(t *testing.T, out string) predictBody {
	t.Helper()
	var b predictBody
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("predict output is not JSON: %v\n%s", err, out)
	}
	return b
}

// failedRow is entry i's failure, or ok false when it is a prediction.
func failedRow(t *testing.T, b predictBody, i int) (row int, msg string, ok bool) {
	t.Helper()
	var f struct {
		Row   int    `json:"row"`
		Error string `json:"error"`
	}
	if json.Unmarshal(b.Predictions[i], &f) != nil {
		return 0, "", false
	}
	return f.Row, f.Error, true
}

func TestCLIPredictKeepGoingAndDropMissing(t *testing.T) {
	home := t.TempDir()
	mustWB(t, "", "train", "--home", home, "--data", "iris", "--epochs", "5", "--json")
	h := []string{"--home", home}
	// Rows 2 (a gap) and 3 (text) are bad, as CSV and as JSON.
	inputs := map[string]string{
		"CSV":  "5.1,3.5,1.4,0.2\n5.1,,1.4,0.2\n5.1,x,1.4,0.2\n6.7,3.0,5.2,2.3\n",
		"JSON": `{"input_data": [[5.1,3.5,1.4,0.2],[5.1,null,1.4,0.2],[5.1,"x",1.4,0.2],[6.7,3.0,5.2,2.3]]}`,
	}
	for form, in := range inputs {
		t.Run(form, func(t *testing.T) {
			if r := runWB(t, in, append([]string{"predict"}, h...)...); r.code != 1 || !strings.Contains(r.stderr, "row 2") && !strings.Contains(r.stderr, "input_data[1]") {
				t.Fatalf("without the flags: exit %d, stderr %q; want the gap's error", r.code, r.stderr)
			}

			r := runWB(t, in, append([]string{"predict", "--keep-going"}, h...)...)
			if r.code != 0 {
				t.Fatalf("--keep-going: exit %d: %s", r.code, r.stderr)
			}
			b := decodePredict(t, r.stdout)
			if len(b.Predictions) != 4 || len(b.Labels) != 4 {
				t.Fatalf("--keep-going: %d predictions and %d labels for 4 rows:\n%s", len(b.Predictions), len(b.Labels), r.stdout)
			}
			for i := range 4 {
				row, msg, failed := failedRow(t, b, i)
				bad := i == 1 || i == 2
				if failed != bad || (bad && (row != i+1 || msg == "")) || (b.Labels[i] == nil) != bad {
					t.Errorf("entry %d: failed %v row %d %q label %v", i, failed, row, msg, b.Labels[i])
				}
			}
			if !strings.Contains(r.stderr, "2 rows could not be predicted") {
				t.Errorf("--keep-going stderr %q does not count the failed rows", r.stderr)
			}

			r = runWB(t, in, append([]string{"predict", "--keep-going", "--drop-missing"}, h...)...)
			b = decodePredict(t, r.stdout)
			if row, _, failed := failedRow(t, b, 1); r.code != 0 || len(b.Predictions) != 3 || !failed || row != 3 {
				t.Fatalf("--keep-going --drop-missing: exit %d, %s", r.code, r.stdout)
			}
			if !strings.Contains(r.stderr, "1 row dropped for missing values") {
				t.Errorf("--drop-missing stderr %q does not count the dropped row", r.stderr)
			}

			// --drop-missing alone gets past the gap and fails on the text.
			r = runWB(t, in, append([]string{"predict", "--drop-missing"}, h...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "row 3") && !strings.Contains(r.stderr, "input_data[2]") {
				t.Errorf("--drop-missing: exit %d, stderr %q; want the text's error", r.code, r.stderr)
			}

			// The table: failed rows in place, numbered as the user counts.
			r = runWB(t, in, append([]string{"predict", "--keep-going", "--table"}, h...)...)
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			if r.code != 0 || len(lines) != 5 || !strings.HasSuffix(lines[0], "ERROR") || !strings.HasPrefix(lines[3], "3 ") || !strings.Contains(lines[3], "- ") {
				t.Errorf("--keep-going --table: exit %d:\n%s", r.code, r.stdout)
			}
		})
	}

	// Nothing predicted: the failures are printed, and the exit is 1.
	r := runWB(t, "5.1,,1.4,0.2\n", append([]string{"predict", "--keep-going"}, h...)...)
	if b := decodePredict(t, r.stdout); r.code != 1 || len(b.Predictions) != 1 || !strings.Contains(r.stderr, "no row could be predicted") {
		t.Errorf("all rows bad: exit %d, stdout %s, stderr %q", r.code, r.stdout, r.stderr)
	}
	// Good rows only: the server's body, byte for byte, flags or not.
	good := "5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n"
	if a, b := mustWB(t, good, append([]string{"predict"}, h...)...), mustWB(t, good, append([]string{"predict", "--keep-going", "--drop-missing"}, h...)...); a != b {
		t.Errorf("the flags changed good rows' output:\n%s\n%s", a, b)
	}
}

func TestCLIPredictTableRowsDropMissing(t *testing.T) {
	home := t.TempDir()
	data := mixedTable(t, "")
	// Without --impute, Age has no fill: a row without it cannot be predicted.
	mustWB(t, "", "train", "--home", home, "--data", data, "--target", "Survived", "--drop-missing", "--epochs", "5", "--json")
	h := []string{"--home", home}
	for form, in := range map[string]string{
		"CSV":  "1,1,female,30,C,2003-09-19,80\n2,3,male,,S,2003-09-19,10\n3,3,male,40,S,19.09.2003,10\n",
		"JSON": `[[1,1,"female",30,"C","2003-09-19",80],[2,3,"male",null,"S","2003-09-19",10],[3,3,"male",40,"S","19.09.2003",10]]`,
	} {
		t.Run(form, func(t *testing.T) {
			r := runWB(t, in, append([]string{"predict", "--keep-going", "--drop-missing"}, h...)...)
			b := decodePredict(t, r.stdout)
			row, msg, failed := failedRow(t, b, 1)
			if r.code != 0 || len(b.Predictions) != 2 || !failed || row != 3 || !strings.Contains(msg, "Boarded") {
				t.Fatalf("exit %d, stdout %s, stderr %q", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, "1 row dropped for missing values") {
				t.Errorf("stderr %q does not count the dropped row", r.stderr)
			}
			r = runWB(t, in, append([]string{"predict", "--keep-going"}, h...)...)
			if row, msg, failed := failedRow(t, decodePredict(t, r.stdout), 1); !failed || row != 2 || !strings.Contains(msg, "Age") {
				t.Errorf("without --drop-missing the gap is row 2's error: %s", r.stdout)
			}
		})
	}
}
