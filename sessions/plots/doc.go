// Package plots writes a session's pictures to files — training curves
// (several runs overlaid), the confusion matrix, the decision map of 2-D
// data and a regression's predicted-versus-actual and residuals — with
// gonum.org/v1/plot, as PNG, SVG or PDF.
//
// It draws the figures package sessions computes (Session.SeriesOf,
// Smooth, DecisionGrid, TestPairs, the test confusion matrix), the same
// ones the TUI draws in cells, so a file never disagrees with the screen.
package plots
