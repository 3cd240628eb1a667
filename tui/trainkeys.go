package tui

import "github.com/charmbracelet/bubbles/key"

// trainKeys is the Train pane's keys.
type trainKeys struct {
	Start, Stop, Reset, Continue, View, Save, Points key.Binding
	Speed, Step, Gallery                             key.Binding
	Neurons, NextNeurons, PrevNeurons                key.Binding
	Chart                                            chartKeys
}

func newTrainKeys() trainKeys {
	return trainKeys{
		Start:       k("space", "start/pause", " ", "space"),
		Stop:        k("x", "stop", "x"),
		Reset:       k("r", "reset", "r"),
		Continue:    k("c", "continue", "c"),
		View:        k("v", "view", "v"),
		Save:        k("p", "save picture", "p"),
		Points:      k("o", "map points", "o"),
		Speed:       k("w", "watch speed", "w"),
		Step:        k("n", "next epoch", "n"),
		Gallery:     k("g", "wrong images", "g"),
		Neurons:     k("u", "neurons", "u"),
		NextNeurons: k("]", "next neurons", "]"),
		PrevNeurons: k("[", "previous neurons", "["),
		Chart:       newChartKeys(),
	}
}

func (p *trainPane) ShortHelp() []key.Binding {
	if p.save.active {
		return p.save.ShortHelp()
	}
	start := p.keys.Start
	switch p.state {
	case trainRunning:
		start.SetHelp("space", "pause")
	case trainPaused:
		start.SetHelp("space", "resume")
	case trainPreparing, trainWaiting, trainStopping:
		start.SetHelp("space", "…")
	default:
		start.SetHelp("space", "train")
	}
	b := []key.Binding{start, p.keys.Stop}
	if p.pace() == stepOnly && p.sh.Run().Active {
		b = append(b, p.keys.Step)
	}
	if !p.wide() {
		b = append(b, p.keys.View)
	}
	b = append(b, p.keys.Reset)
	if p.state == trainDone && p.sh.Current() != nil {
		b = append(b, p.keys.Continue, p.keys.Save)
	}
	return b
}

func (p *trainPane) FullHelp() [][]key.Binding {
	if p.save.active {
		return p.save.FullHelp()
	}
	return [][]key.Binding{{p.keys.Start, p.keys.Stop, p.keys.Reset, p.keys.Speed, p.keys.Step}, {p.keys.Continue, p.keys.View, p.keys.Save, p.keys.Points, p.keys.Gallery}, {p.keys.Neurons, p.keys.NextNeurons, p.keys.PrevNeurons}, p.keys.Chart.help()[0], p.keys.Chart.help()[1]}
}
