// Package deploy holds the files that run workbench beyond one machine: the
// Dockerfile for `workbench serve`, the KServe InferenceService, and the
// Triton model repository layout for an exported ONNX model (README.md is
// the guide). There is no code here: the tests check that those files parse
// and agree with each other, since Docker and Kubernetes cannot run where
// the tests do. It imports no package of the project.
package deploy
