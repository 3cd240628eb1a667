package serve

// Several models in one server, as TF Serving and Triton hold them: each
// served name has a slot whose model swaps atomically on its own. The first
// slot is the default model, which /predict and /invocations serve.

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"workbench/sessions"
)

// slot is one served name's current model.
type slot = atomic.Pointer[model]

// slots is the served models, default first. The slice is never changed in
// place: adding a model stores a new one, so a request reads it lock-free.
func (s *server) slots() []*slot { return *s.slotList.Load() }

// lookup finds the served model a route names (its session's name or id),
// nil if none, and notes it for the metrics.
func (s *server) lookup(w http.ResponseWriter, name string) *model {
	for _, sl := range s.slots() {
		if m := sl.Load(); m.matches(name) {
			noteModel(w, m)
			return m
		}
	}
	return nil
}

// unknownModel is the 404 message for a name no slot serves.
func (s *server) unknownModel(name string) string {
	var names []string
	for _, sl := range s.slots() {
		m := sl.Load()
		names = append(names, quote(m.name)+" (session "+m.id+")")
	}
	return fmt.Sprintf("unknown model %q; this server serves %s", name, strings.Join(names, ", "))
}

// put serves sess under its name: it replaces the model of that name (an
// atomic swap of that slot alone) or adds a slot. It reports whether a
// slot was added.
func (s *server) put(sess *sessions.Session) bool {
	nm := newModel(sess)
	s.slotMu.Lock()
	defer s.slotMu.Unlock()
	old := s.slots()
	for _, sl := range old {
		if sl.Load().name == nm.name {
			sl.Store(nm)
			s.modelsChanged("model swapped", nm)
			return false
		}
	}
	sl := new(slot)
	sl.Store(nm)
	list := append(append(make([]*slot, 0, len(old)+1), old...), sl)
	s.slotList.Store(&list)
	s.modelsChanged("model added", nm)
	return true
}

// swap replaces the default model, whatever its name.
func (s *server) swap(sess *sessions.Session) {
	m := newModel(sess)
	s.slotMu.Lock()
	defer s.slotMu.Unlock()
	s.model.Store(m)
	s.modelsChanged("model swapped", m)
}

// modelsChanged updates the info metric and logs; slotMu is held.
func (s *server) modelsChanged(what string, m *model) {
	var ms []*model
	for _, sl := range s.slots() {
		ms = append(ms, sl.Load())
	}
	s.metrics.setModels(ms)
	s.log.Info(what, "model", m.name, "session", m.id)
}

// ModelInfo is one served model, for listings.
type ModelInfo struct {
	Name, Session string
	Default       bool // served on /predict and /invocations
}

// Put serves sess under its session name alongside the others: a model of
// that name is swapped atomically (requests see the old or the new one),
// otherwise the model is added and answers on its own routes. It reports
// whether it was added.
//
// Like New, it panics if sess or its Model is nil.
func (s *Server) Put(sess *sessions.Session) bool { return s.impl.put(sess) }

// Models lists the served models, default first.
func (s *Server) Models() []ModelInfo {
	var out []ModelInfo
	for i, sl := range s.impl.slots() {
		m := sl.Load()
		out = append(out, ModelInfo{Name: m.name, Session: m.id, Default: i == 0})
	}
	return out
}
