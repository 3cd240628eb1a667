package serve

import (
	"strconv"
	"strings"
	"testing"
)

// TestKeySetBeyondItsArray: a repeated key is refused whether it is among
// the first eight (kept in the array) or later ones.
func TestKeySetBeyondItsArray(t *testing.T) {
	for _, dup := range []int{0, 7, 8, 11} {
		var k keySet
		for i := range 12 {
			if err := k.add([]byte("k"+strconv.Itoa(i)), false); err != nil {
				t.Fatalf("distinct key k%d refused: %v", i, err)
			}
		}
		err := k.add([]byte("k"+strconv.Itoa(dup)), false)
		if err == nil || !strings.Contains(err.Error(), "given twice") {
			t.Errorf("key k%d given again: got %v, want 'given twice'", dup, err)
		}
	}
}

// TestParseAllocatesNothing: a warm 1-row body decodes without a heap
// allocation (the scanner's key set used to escape on every request).
func TestParseAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	body := []byte(benchBody(1))
	m := newModel(digitsSession(t))
	var rr rowsReader
	allocs := testing.AllocsPerRun(100, func() {
		rr.reset(m, 100)
		if err := parsePredictBody(body, &rr); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("parsing a 1-row body allocates %v times, want 0", allocs)
	}
}
