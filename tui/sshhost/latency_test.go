package sshhost

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkKeyToScreen measures how long one user waits between a key and
// the redrawn pane arriving over SSH, with nobody else busy and while
// another user trains a large model (the issue's "one user's heavy training
// must not make another's screen lag"). Reports p50/p95/max in ms.
//
//	go test -run '^$' -bench KeyToScreen -benchtime 200x ./tui/sshhost/
func BenchmarkKeyToScreen(b *testing.B) {
	for _, busy := range []bool{false, true} {
		name := "others-idle"
		if busy {
			name = "other-user-training"
		}
		b.Run(name, func(b *testing.B) {
			ts := startServer(b, realTUI)
			var trainer *terminal
			var trainerMark int
			if busy {
				trainer = open(b, ts.mustDial(b, "alice", ts.alice), true, 120, 36)
				trainer.waitFor("Train")
				trainer.send("1")
				trainer.send("o")
				trainer.send("spiral?n=300000\r")
				trainer.send("3")
				trainer.waitFor("train spiral?n=300000")
				trainer.send(" ")
				trainer.waitMatch(epochRe) // well into training
				trainerMark = trainer.mark()
			}
			tm := open(b, ts.mustDial(b, "bob", ts.bob), true, 120, 36)
			tm.waitFor("Train")
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				key, want := "5", "newest first"
				if i%2 == 1 {
					key, want = "1", "datasets"
				}
				m := tm.mark()
				start := time.Now()
				tm.send(key)
				tm.waitForAfter(m, want)
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[len(lat)*95/100]), "p95-ms")
			b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
			if busy && strings.Contains(trainer.screenAfter(trainerMark), "finished") {
				b.Fatal("the other user's training ended during the measurement")
			}
		})
	}
}
