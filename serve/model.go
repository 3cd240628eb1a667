package serve

import (
	"fmt"
	"strconv"
	"strings"

	"workbench/engine"
	"workbench/sessions"
)

// model is everything a request needs from one session, computed once per
// New or Swap so that requests only read it. A request loads the pointer
// once and uses that model throughout, so a Swap never mixes two sessions.
type model struct {
	sess     *sessions.Session
	name, id string
	version  string // V2 model version: the session's last update, as seconds

	inputs    int            // features per row
	features  []string       // names, len == inputs
	featIndex map[string]int // name → column
	featList  string         // for error messages

	classify   bool
	outputs    int      // classes or regression targets
	classes    []string // len == outputs when classify
	classJSON  [][]byte // classes as JSON string literals
	outputName string   // V2 output: "probabilities" or "output"
	exampleRow []float64

	// table is set for a session with table preprocessing: rows then hold
	// its raw columns (tablerows.go), not the encoded features.
	table *tableInputs
}

// maxListed bounds how many feature names an error message lists.
const maxListed = 12

func newModel(sess *sessions.Session) *model {
	if sess == nil || sess.Model == nil {
		panic("serve: session has no model (train or load it first)")
	}
	cfg := sess.Model.Config()
	if sc := sess.Scaler; sc != nil && (len(sc.Mean) != cfg.Inputs || len(sc.Std) != cfg.Inputs) {
		panic(fmt.Sprintf("serve: session %s: scaler has %d means and %d stds for a model of %d inputs", sess.ID, len(sc.Mean), len(sc.Std), cfg.Inputs))
	}
	m := &model{
		sess:     sess,
		id:       sess.ID,
		name:     sess.Name,
		inputs:   cfg.Inputs,
		outputs:  cfg.Outputs,
		classify: cfg.Task == engine.Classification,
	}
	if m.name == "" {
		m.name = m.id
	}
	if m.name == "" {
		m.name = "model"
	}
	m.version = "1"
	if !sess.Updated.IsZero() {
		m.version = strconv.FormatInt(sess.Updated.Unix(), 10)
	}
	m.features = make([]string, m.inputs)
	m.featIndex = make(map[string]int, m.inputs)
	for j := range m.features {
		name := ""
		if j < len(sess.Data.Features) {
			name = sess.Data.Features[j]
		}
		if name == "" {
			name = "x" + strconv.Itoa(j)
		}
		if _, dup := m.featIndex[name]; dup {
			name = fmt.Sprintf("%s#%d", name, j)
		}
		m.features[j] = name
		m.featIndex[name] = j
	}
	list := m.features
	more := ""
	if len(list) > maxListed {
		more = fmt.Sprintf(", … (%d in all)", len(list))
		list = list[:maxListed]
	}
	m.featList = strings.Join(list, ", ") + more
	if m.classify {
		m.outputName = "probabilities"
		m.classes = make([]string, m.outputs)
		m.classJSON = make([][]byte, m.outputs)
		for k := range m.classes {
			c := strconv.Itoa(k)
			if k < len(sess.Data.Classes) && sess.Data.Classes[k] != "" {
				c = sess.Data.Classes[k]
			}
			m.classes[k] = c
			m.classJSON[k] = appendJSONString(nil, c)
		}
	} else {
		m.outputName = "output"
	}
	m.exampleRow = make([]float64, m.inputs)
	if sess.Scaler != nil && len(sess.Scaler.Mean) == m.inputs {
		copy(m.exampleRow, sess.Scaler.Mean)
	}
	m.table = newTableInputs(sess)
	return m
}

// matches reports whether a V2 model name refers to this model: the
// session's name or its id.
func (m *model) matches(name string) bool {
	return name == m.name || (m.id != "" && name == m.id)
}

// ExampleRow is a plausible input row for documentation: the training
// data's feature means (the scaler's), or zeros.
func (s *Server) ExampleRow() []float64 {
	m := s.impl.model.Load()
	return append([]float64(nil), m.exampleRow...)
}

// Features is the served model's feature names, in column order.
func (s *Server) Features() []string {
	return append([]string(nil), s.impl.model.Load().features...)
}

// ModelName is the name V2 clients use in /v2/models/{name}.
func (s *Server) ModelName() string { return s.impl.model.Load().name }
