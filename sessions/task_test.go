package sessions

import (
	"testing"

	"workbench/datasets"
	"workbench/engine"
)

func TestEngineTask(t *testing.T) {
	for _, tc := range []struct {
		in   datasets.Task
		want engine.Task
	}{
		{datasets.Classification, engine.Classification},
		{datasets.Regression, engine.Regression},
		{"", engine.Classification},
	} {
		if got := EngineTask(tc.in); got != tc.want {
			t.Errorf("EngineTask(%q) = %v, want %v", tc.in, got, tc.want)
		}
		// The two words must agree, or session.json and the exported
		// model.json would name a session's task differently.
		if tc.in != "" && EngineTask(tc.in).String() != string(tc.in) {
			t.Errorf("EngineTask(%q).String() = %q", tc.in, EngineTask(tc.in).String())
		}
	}
}
