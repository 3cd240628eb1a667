package tui

import (
	"fmt"
	"math"

	"workbench/engine"
	"workbench/sessions"
)

// bestEpoch is the epoch with the lowest validation loss (training loss
// when there is no validation data).
func bestEpoch(h []engine.EpochStats) int {
	best, bestV := 0, math.Inf(1)
	for _, s := range h {
		v := s.ValLoss
		if math.IsNaN(v) {
			v = s.Loss
		}
		if v < bestV {
			best, bestV = s.Epoch, v
		}
	}
	return best
}

// bestVal is a session's best validation metric as shown in the list.
func bestVal(s *sessions.Session) string {
	if s.BestEpoch <= 0 {
		return "–"
	}
	for _, h := range s.History {
		if h.Epoch == s.BestEpoch {
			m := h.ValAccuracy
			if math.IsNaN(m) {
				m = h.Accuracy
			}
			if len(s.Data.Classes) > 0 {
				return fmt.Sprintf("acc %.3f", m)
			}
			return fmt.Sprintf("R² %.3f", m)
		}
	}
	return "–"
}
