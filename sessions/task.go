package sessions

import (
	"workbench/datasets"
	"workbench/engine"
)

// EngineTask is the engine's task for data of task t, and the one place the
// project converts between the two: datasets.Task is the data-side word a
// user and session.json use ("classification", "regression"), engine.Task
// the output layer and loss a model is built with. Neither package may
// import the other, so sessions, which ties a dataset to a model, owns the
// mapping. Anything but Regression, the empty (undetected) task included,
// is Classification, as Session.IsClassification reads it.
func EngineTask(t datasets.Task) engine.Task {
	if t == datasets.Regression {
		return engine.Regression
	}
	return engine.Classification
}
