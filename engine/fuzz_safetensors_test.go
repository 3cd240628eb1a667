package engine

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzSafetensorsHeader: any bytes give a header or an error, never a panic
// or an allocation the input does not justify (issue 14's campaign). Run:
//
//	go test ./engine -run '^$' -fuzz '^FuzzSafetensorsHeader$' -fuzztime 10m
func FuzzSafetensorsHeader(f *testing.F) {
	head := func(js string) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
		return append(b, js...)
	}
	f.Add(head(`{"__metadata__":{"a":"b"},"w":{"dtype":"F64","shape":[2,2],"data_offsets":[0,32]}}`))
	f.Add(head(`{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}`))
	f.Add(head(`{}`))
	f.Add(binary.LittleEndian.AppendUint64(nil, 1<<40))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ReadSafetensorsHeader(bytes.NewReader(b))
		if err == nil && (h.Size < 2 || h.Size > int64(len(b))) {
			t.Fatalf("header of %d bytes from %d bytes of input", h.Size, len(b))
		}
		ReadSafetensors(bytes.NewReader(b))
	})
}
