package serve

import (
	"net/http"
	"strings"
)

// The two other request shapes users bring from other servers, decoded
// with the same rows reader and so the same validation and messages as
// /predict:
//
//   - TF Serving: POST /v1/models/{name}:predict with "instances" (row
//     format, answered with "predictions") or "inputs" (columnar format,
//     answered with "outputs"); "signature_name" is ignored.
//   - MLflow: POST /invocations with "dataframe_split", "dataframe_records",
//     "instances" or "inputs", answered with {"predictions": ...}; "params"
//     is ignored.

func (s *server) handleInvocations(w http.ResponseWriter, r *http.Request) {
	s.compat(w, r, s.model.Load(), mlflowFields, `{"dataframe_split": {"columns": [...], "data": [[...]]}}`, func(string) string { return "predictions" })
}

// compatField is how one top-level field holds the rows.
type compatField struct {
	name   string
	ignore bool // metadata such as "signature_name"
	split  bool // MLflow's {"columns": [...], "data": [[...]]}
}

var (
	tfFields     = []compatField{{name: "instances"}, {name: "inputs"}, {name: "signature_name", ignore: true}}
	mlflowFields = []compatField{{name: "dataframe_split", split: true}, {name: "dataframe_records"}, {name: "instances"}, {name: "inputs"}, {name: "params", ignore: true}}
)

func (s *server) compat(w http.ResponseWriter, r *http.Request, m *model, fields []compatField, shape string, answerKey func(string) string) {
	sc := getScratch()
	defer putScratch(sc)
	if err := s.readBody(w, r, sc); err != nil {
		s.fail(w, err)
		return
	}
	sc.rr.reset(m, s.maxRows)
	key, err := parseCompat(sc, m, fields, shape)
	if err != nil {
		s.fail(w, err)
		return
	}
	p := m.predict(sc, sc.rr.x, sc.rr.n)
	out := append(sc.out[:0], `{"`...)
	out = append(out, answerKey(key)...)
	out = append(out, `":`...)
	out, err = appendMatrix(out, p, key, true, false)
	sc.out = out
	if err != nil {
		s.fail(w, err)
		return
	}
	out = append(out, "}\n"...)
	sc.out = out
	s.metrics.rows.Add(float64(sc.rr.n))
	s.stats.rows.Add(int64(sc.rr.n))
	noteRows(w, sc.rr.n)
	writeJSON(w, http.StatusOK, out)
}

// parseCompat decodes a body holding exactly one of fields' row lists and
// returns the field's name.
func parseCompat(sc *scratch, m *model, fields []compatField, shape string) (string, error) {
	s := &scanner{b: sc.body}
	if err := expectObject(s, shape); err != nil {
		return "", err
	}
	var names []string
	for _, f := range fields {
		if !f.ignore {
			names = append(names, quote(f.name))
		}
	}
	found := ""
	err := objectFields(s, func(key string) error {
		var f *compatField
		for i := range fields {
			if fields[i].name == key {
				f = &fields[i]
			}
		}
		switch {
		case f == nil:
			return badRequest("unknown field %q; send one of %s", key, strings.Join(names, ", "))
		case f.ignore:
			return s.skip(0)
		case found != "":
			return badRequest("fields %q and %q are both given; send only one", found, key)
		}
		found = key
		switch {
		case f.split:
			return parseSplit(s, &sc.rr, key)
		case key == "inputs" && s.ws() == '{':
			return parseNamedInput(s, &sc.rr)
		}
		return sc.rr.rows(s, key)
	})
	if err != nil {
		return "", err
	}
	if err := s.end(); err != nil {
		return "", err
	}
	if found == "" {
		return "", badRequest("missing rows: send one of %s, e.g. %s", strings.Join(names, ", "), shape)
	}
	return found, nil
}

// parseNamedInput reads TF Serving's and MLflow's {"inputs": {"input":
// [[...]]}}: one named tensor holding the rows.
func parseNamedInput(s *scanner, rr *rowsReader) error {
	s.i++ // '{'
	seen := 0
	err := objectFields(s, func(key string) error {
		if seen++; seen > 1 {
			return badRequest("inputs has more than one named input; the model takes one, \"input\"")
		}
		return rr.rows(s, "inputs."+key)
	})
	if err == nil && seen == 0 {
		err = badRequest(`inputs is an empty object; send {"inputs": [[...], ...]}`)
	}
	return err
}

// parseSplit reads MLflow's dataframe_split: "data" rows in the order of
// "columns" (any order of the feature names; the model's order if absent).
func parseSplit(s *scanner, rr *rowsReader, field string) error {
	m := rr.m
	if s.ws() != '{' {
		return badRequest(`%s must be an object {"columns": [...], "data": [[...]]}; got %s`, field, s.kind())
	}
	s.i++
	var cols []string
	hasData, dataAt := false, 0
	err := objectFields(s, func(key string) error {
		switch key {
		case "columns":
			if !s.eat('[') {
				return badRequest("%s.columns must be a list of feature names; got %s", field, s.kind())
			}
			cols = []string{}
			if s.eat(']') {
				return nil
			}
			for {
				t, err := s.text()
				if err != nil {
					return badRequest("%s.columns[%d] must be a string; got %s", field, len(cols), s.kind())
				}
				cols = append(cols, t)
				if s.eat(']') {
					return nil
				}
				if !s.eat(',') {
					return s.fail("expected " + "',' or ']' in " + field + ".columns" + ", found " + s.found())
				}
			}
		case "data":
			hasData = true
			if m.table != nil {
				// Table rows are encoded as they are read, so their
				// columns' order must be known first: read them last.
				dataAt = s.i
				return s.skip(0)
			}
			return rr.rows(s, field+".data")
		}
		return s.skip(0) // "index"
	})
	if err != nil {
		return err
	}
	if !hasData {
		return badRequest(`%s has no "data"`, field)
	}
	if cols == nil && m.table == nil {
		return nil
	}
	if m.table != nil {
		if cols != nil {
			if err := rr.splitColumns(field, cols); err != nil {
				return err
			}
		}
		ds := scanner{b: s.b, i: dataAt}
		return rr.rows(&ds, field+".data")
	}
	if len(cols) != m.inputs {
		return badRequest("%s.columns has %d names; the model takes %d features: %s", field, len(cols), m.inputs, m.featList)
	}
	perm := make([]int, len(cols))
	used := make([]bool, m.inputs)
	identity := true
	for c, name := range cols {
		j, ok := m.featIndex[name]
		switch {
		case !ok:
			return badRequest("%s.columns[%d] %q is not a feature; the model takes %d features: %s", field, c, name, m.inputs, m.featList)
		case used[j]:
			return badRequest("%s.columns names %q twice", field, name)
		}
		used[j], perm[c] = true, j
		identity = identity && j == c
	}
	if !identity {
		tmp := make([]float64, m.inputs)
		for i := 0; i < rr.n; i++ {
			if rr.objRows[i] {
				continue // keyed by name: already in the model's order
			}
			row := rr.x[i*m.inputs : (i+1)*m.inputs]
			for c, j := range perm {
				tmp[j] = row[c]
			}
			copy(row, tmp)
		}
	}
	return nil
}

func quote(s string) string { return string(appendJSONString(nil, s)) }
