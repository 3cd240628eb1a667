package tui

// The Serve pane's "try it" row: an example row of the served data, the
// values the user types, and the request that predicts them.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"workbench/datasets"
	"workbench/sessions"
)

// maxTryFields is how many features the form edits; wider rows (images)
// keep the rest of the example as it is.
const maxTryFields = 12

func checkNumber(s string) error {
	_, err := parseFeature(s)
	return err
}

// parseFeature reads one try-it value. NaN and ±Inf are refused too:
// ParseFloat takes them, but the model can do nothing useful with them and
// JSON cannot carry them to the server (the request went out empty).
func parseFeature(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

func shortName(s string) string {
	s = strings.TrimSuffix(strings.TrimSuffix(s, " (cm)"), "(cm)")
	if len(s) > 14 {
		s = s[:14]
	}
	return s
}

// sampleRow is one raw test example of sess's data (for curl and "try it"),
// with its true label.
func sampleRow(sess *sessions.Session, ds *datasets.Dataset) ([]float64, string, bool) {
	if sess == nil || ds == nil || ds.X == nil || ds.Features() != len(sess.Data.Features) {
		return nil, "", false
	}
	// Splitting copies the data: for big sets (Fashion-MNIST is 376 MB) an
	// example from the whole set does, without stalling the UI.
	var sp datasets.Split
	err := errors.New("too big to split for an example")
	if ds.Rows()*ds.Features() <= 2_000_000 {
		err = safely(func() error {
			var err error
			sp, err = ds.Split(sess.Split.Val, sess.Split.Test, sess.Split.Seed)
			return err
		})
	}
	pick := ds
	if err == nil {
		for _, d := range []*datasets.Dataset{sp.Test, sp.Val, sp.Train} {
			if d != nil && d.X != nil && d.Rows() > 0 {
				pick = d
				break
			}
		}
	}
	if pick.Rows() == 0 {
		return nil, "", false
	}
	row := append([]float64(nil), pick.X.RawRowView(0)...)
	label := ""
	if pick.Y != nil {
		y := pick.Y.At(0, 0)
		if len(pick.ClassNames) > 0 && int(y) >= 0 && int(y) < len(pick.ClassNames) {
			label = pick.ClassNames[int(y)]
		} else {
			label = fmtTarget(y)
		}
	}
	return row, label, true
}

func postPredict(addr string, row []float64) ([]float64, error) {
	body, err := json.Marshal(map[string]any{"input_data": [][]float64{row}})
	if err != nil {
		return nil, err
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Post("http://"+addr+"/predict", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Predictions [][]float64 `json:"predictions"`
		Error       any         `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("server answered %s with unreadable JSON: %v", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK || len(out.Predictions) != 1 {
		return nil, fmt.Errorf("server answered %s: %v", resp.Status, out.Error)
	}
	return out.Predictions[0], nil
}
