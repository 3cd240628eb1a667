package sessions

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
)

// The tests below re-run this test binary as a child process (selected by
// $WB_SESSIONS_CHILD) to kill a writer mid-save and to have two processes
// write one store at once.
func TestMain(m *testing.M) {
	switch os.Getenv("WB_SESSIONS_CHILD") {
	case "":
		os.Exit(m.Run())
	case "saveloop":
		childSaveLoop(os.Getenv("WB_CHILD_HOME"))
	case "writer":
		units, _ := strconv.Atoi(os.Getenv("WB_CHILD_UNITS"))
		childWriter(os.Getenv("WB_CHILD_HOME"), os.Getenv("WB_CHILD_SHARED"), units)
	}
	os.Exit(0)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "child:", err)
	os.Exit(2)
}

// childSaveLoop trains and saves forever, creating a new session every few
// saves and updating the last one in between, saying "saved N" after each.
func childSaveLoop(home string) {
	st, err := Open(home)
	if err != nil {
		fail(err)
	}
	pr, err := Prepare(Plan{DataRef: "iris", Layers: "64:relu,64:relu", Hyper: Hyper{Epochs: 1, Seed: 1}})
	if err != nil {
		fail(err)
	}
	var s *Session
	for i := 0; ; i++ {
		if i%3 == 0 {
			c := *pr.Session
			c.Model = pr.Session.Model.Clone()
			s = &c
		}
		res, err := engine.Fit(context.Background(), s.Model, pr.Train, pr.Val, engine.FitOptions{Epochs: 1, StartEpoch: s.Epochs(), Seed: 1}, nil)
		if err != nil {
			fail(err)
		}
		s.History = append(s.History, res.History...)
		if err := st.Save(s); err != nil {
			fail(err)
		}
		fmt.Printf("saved %d\n", i)
	}
}

func TestKilledWriterLeavesStoreReadable(t *testing.T) {
	home := t.TempDir()
	st, err := Open(home)
	if err != nil {
		t.Fatal(err)
	}
	earlier := trained(t, st, "earlier", 2)
	for round, after := range []int{4, 9, 17} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "WB_SESSIONS_CHILD=saveloop", "WB_CHILD_HOME="+home)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		for n := 0; n < after && lines.Scan(); n++ {
		}
		// The child is saving again as we read its line: kill it mid-write.
		cmd.Process.Signal(syscall.SIGKILL)
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: the child ended by itself (%v) before it was killed", round, err)
		}

		st, err := Open(home)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := st.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) < 2 {
			t.Fatalf("round %d: only %d sessions listed", round, len(entries))
		}
		for _, e := range entries {
			if e.Damaged != "" {
				t.Errorf("round %d: %s damaged after kill -9: %s", round, e.ID, e.Damaged)
			}
			if _, err := st.Load(e.ID); err != nil {
				t.Errorf("round %d: %v", round, err)
			}
		}
		got, err := st.Load(earlier.ID)
		if err != nil {
			t.Fatal(err)
		}
		if x := irisRows(); !sameBits(got.Predict(x), earlier.Predict(x)) {
			t.Fatalf("round %d: the earlier session predicts differently", round)
		}
	}
}

func irisRows() *mat.Dense {
	return mat.NewDense(3, 4, []float64{5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3, 5.9, 3.0, 4.2, 1.5})
}

// childWriter saves rounds of new sessions and the shared session with a
// model of its own shape, renaming and listing in between.
func childWriter(home, shared string, units int) {
	st, err := Open(home)
	if err != nil {
		fail(err)
	}
	base, err := st.Load(shared)
	if err != nil {
		fail(err)
	}
	layers := []engine.LayerSpec{{Kind: "dense", Units: units, Activation: "relu"}}
	m, err := engine.NewModel(engine.Config{Inputs: 4, Outputs: 3, Layers: layers, Seed: int64(units)})
	if err != nil {
		fail(err)
	}
	for r := range writerRounds {
		mine := *base
		mine.ID, mine.stored, mine.Model, mine.Layers = "", false, m, engine.FormatLayers(layers)
		mine.Name = fmt.Sprintf("writer %d round %d", units, r)
		if err := st.Save(&mine); err != nil {
			fail(err)
		}
		s := mine
		s.ID, s.stored = shared, false
		if err := st.Save(&s); err != nil {
			fail(err)
		}
		if err := st.Rename(shared, fmt.Sprintf("renamed by %d", units)); err != nil {
			fail(err)
		}
		entries, err := st.List()
		if err != nil {
			fail(err)
		}
		for _, e := range entries {
			if e.Damaged != "" {
				fail(fmt.Errorf("%s listed as damaged: %s", e.ID, e.Damaged))
			}
		}
	}
}

const writerRounds = 8

func TestTwoProcessesWriteOneStore(t *testing.T) {
	home := t.TempDir()
	st, err := Open(home)
	if err != nil {
		t.Fatal(err)
	}
	shared := trained(t, st, "shared", 1)
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for _, units := range []int{5, 7} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "WB_SESSIONS_CHILD=writer", "WB_CHILD_HOME="+home,
			"WB_CHILD_SHARED="+shared.ID, "WB_CHILD_UNITS="+strconv.Itoa(units))
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer %d: %v\n%s", i, err, outs[i])
		}
	}
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 2*writerRounds; len(entries) != want {
		t.Errorf("%d sessions, want %d", len(entries), want)
	}
	checkConsistent(t, st)
}
