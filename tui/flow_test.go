package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"workbench/sessions"
)

const waitLong = 30 * time.Second

func waitFor(t *testing.T, tm *teatest.TestModel, what string, cond func(string) bool) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return cond(string(b)) },
		teatest.WithDuration(waitLong), teatest.WithCheckInterval(5*time.Millisecond))
}

func contains(s ...string) func(string) bool {
	return func(out string) bool {
		for _, x := range s {
			if !strings.Contains(out, x) {
				return false
			}
		}
		return true
	}
}

// TestFlow drives the real program as a new user would: iris is ready, add
// a layer, train a few epochs, watch charts and test metrics, serve, ask
// the server, stop it, quit.
func TestFlow(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))

	waitFor(t, tm, "iris preview", contains("150 rows", "setosa", "sepal length"))

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
	waitFor(t, tm, "model pane", contains("dense 32", "softmax"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})
	waitFor(t, tm, "added layer", contains("dense 16"))

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	waitFor(t, tm, "train pane ready", contains("ready", "32 relu → 16 relu → 32 relu → 3"))
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished with charts and test metrics", contains("finished", "▲ best", "test  loss", "true\\pred", "epoch 8/8"))

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	var addr string
	re := regexp.MustCompile(`● (127\.0\.0\.1:\d+)`)
	waitFor(t, tm, "server on", func(s string) bool {
		m := re.FindStringSubmatch(s)
		if m != nil {
			addr = m[1]
		}
		return m != nil
	})
	body, _ := json.Marshal(map[string]any{"input_data": [][]float64{{5.1, 3.5, 1.4, 0.2}}})
	resp, err := http.Post("http://"+addr+"/predict", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /predict on the server the TUI started: %v", err)
	}
	var out struct{ Predictions [][]float64 }
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(out.Predictions) != 1 || len(out.Predictions[0]) != 3 {
		t.Fatalf("predict: status %d, %+v, %v", resp.StatusCode, out, err)
	}

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	waitFor(t, tm, "serve pane with stats", contains("curl -s http://"+addr+"/predict", "requests 1"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "try-it answer", contains("via POST /predict", "(true: "))

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "server off", contains("○ server off"))
	if _, err := http.Post("http://"+addr+"/predict", "application/json", bytes.NewReader(body)); err == nil {
		t.Errorf("the server still answers on %s after S stopped it", addr)
	}

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	es, err := store.List()
	if err != nil || len(es) != 1 || es[0].Session == nil || es[0].Session.Status != sessions.Finished {
		t.Fatalf("want one finished session saved, got %+v, %v", es, err)
	}
	if got := es[0].Session.Layers; got != "32:relu,16:relu,32:relu" {
		t.Errorf("saved layers %q, want the edited stack", got)
	}
}

// TestShutdownStopsTraining: the context ending says so, stops the run (saved
// as stopped) and the server, and quits.
func TestShutdownStopsTraining(t *testing.T) {
	store := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := newTestApp(t, Options{Store: store, Context: ctx})
	app.impl.plan.Hyper.Epochs = 1_000_000
	app.impl.plan.Hyper.Patience = 0
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(80, 24))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "training", contains("training"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "serving mid-training", contains("● serving epoch"))
	cancel()
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	if err := app.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	es, err := store.List()
	if err != nil || len(es) != 1 || es[0].Session == nil {
		t.Fatalf("want one saved session, got %+v, %v", es, err)
	}
	if s := es[0].Session.Status; s != sessions.Stopped {
		t.Errorf("status %q, want stopped", s)
	}
}

// TestQuitAsksWhileTraining: q while training asks; n keeps training; x
// stops and saves.
func TestQuitAsksWhileTraining(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	app.impl.plan.Hyper.Epochs = 1_000_000
	app.impl.plan.Hyper.Patience = 0
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(80, 24))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	// An epoch must end first: stopped before that, nothing is saved
	// (TestTrainPaneNothingTrained).
	waitFor(t, tm, "training an epoch", contains("training", "val_loss"))
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "paused", contains("paused"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	waitFor(t, tm, "asks", contains("Quit anyway?"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("n")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	waitFor(t, tm, "stopped and saved", contains("stopped", "(saved)"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	es, _ := store.List()
	if len(es) != 1 || es[0].Session.Status != sessions.Stopped {
		t.Fatalf("want one stopped session, got %+v", es)
	}
}

// TestTrainSlotsQueue: with every slot taken the run waits and says so,
// then trains when one frees.
func TestTrainSlotsQueue(t *testing.T) {
	slots := make(chan struct{}, 1)
	slots <- struct{}{} // someone else is training
	app := newTestApp(t, Options{TrainGate: chanGate(slots)})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "queued", contains("waiting for a training slot (next in line)"))
	<-slots
	waitFor(t, tm, "finished after the slot freed", contains("finished"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if len(slots) != 0 {
		t.Errorf("the run kept its slot after it ended")
	}
}

// chanGate is a TrainGate of len(ch) shared slots, first come first served.
type chanGate chan struct{}

func (g chanGate) Acquire(ctx context.Context, waiting func(int)) (func(), error) {
	select {
	case g <- struct{}{}:
	default:
		waiting(1)
		select {
		case g <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-g }) }, nil
}

// TestTrainRefusedByGate: a run the gate refuses says why in the Train pane
// and trains nothing.
func TestTrainRefusedByGate(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store, TrainGate: refuseGate{}})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "refused", contains("failed: per-user limit"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if es, _ := store.List(); len(es) != 0 {
		t.Errorf("a refused run saved %d sessions", len(es))
	}
}

type refuseGate struct{}

func (refuseGate) Acquire(context.Context, func(int)) (func(), error) {
	return nil, errors.New("per-user limit: 1 training, 1 waiting; stop one or wait")
}

// TestOpenSessionFlow: a saved session opens from the Sessions pane with
// its history, and continues training from where it stopped.
func TestOpenSessionFlow(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("5")})
	waitFor(t, tm, "listed", contains("sessions · 1, newest first", "32:relu,32:relu"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	waitFor(t, tm, "continued", contains("epoch 16/16", "finished"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	es, _ := store.List()
	if len(es) != 1 || es[0].Session.HistoryLen() != 16 {
		t.Fatalf("want one session with 16 epochs after continuing, got %+v", es)
	}
}

// TestPortTakenOffersNext: a busy port is reported with the next free one,
// and S again serves there.
func TestPortTakenOffersNext(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	app := newTestApp(t, Options{ServeAddr: busy.Addr().String()})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "nothing to serve", contains("nothing to serve yet"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "port taken", contains(busy.Addr().String()+" is already in use; press S to serve on"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "served on the next port", contains("● 127.0.0.1:"))
	quitServing(t, tm)
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// S while a run is paused serves the best weights so far at once: waiting
// for the next best epoch would wait for ever, as a paused run reaches none.
func TestServeWhilePaused(t *testing.T) {
	app := newTestApp(t, Options{})
	app.impl.plan.DataRef = "spiral?n=3000"
	app.impl.plan.Hyper.Epochs, app.impl.plan.Hyper.Patience = 100000, 0
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	waitFor(t, tm, "iris preview", contains("150 rows"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "a few epochs", func(s string) bool { return regexp.MustCompile(`epoch [3-9]\d*/100000`).MatchString(s) })
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "paused", contains("space resume"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "server on while paused", contains("● serving epoch", "on 127.0.0.1:"))
	// q with both going says both stop; n keeps them.
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	waitFor(t, tm, "quit question names both", contains("Training is running, and the predict server on 127.0.0.1:", "the server stops too"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("n")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	waitFor(t, tm, "stopped", contains("space train"))
	quitServing(t, tm)
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// S on the Train pane with the port taken changed nothing visible there:
// the reason and the next free port were on the Serve pane only.
func TestPortTakenShowsInFooter(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, port, _ := net.SplitHostPort(busy.Addr().String())
	app := newTestApp(t, Options{ServeAddr: busy.Addr().String()})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(80, 24))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "nothing to serve, in the footer", contains("○ nothing to serve yet"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "port taken, in the footer", contains("○ port "+port+" in use · S:"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	waitFor(t, tm, "served on the next port", contains("● 127.0.0.1:"))
	quitServing(t, tm)
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// quitServing quits with the predict server on: q asks first, saying the
// server stops too, and y quits.
func quitServing(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	waitFor(t, tm, "the quit question names the server", contains("The predict server is running on 127.0.0.1:", "The server stops too."))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
}
