package sessions

// session.json and model.safetensors as bytes: encoding a session for Save,
// reading and checking one back, and List's cheap check of the weights file.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FormatError is the reason a session written by a newer workbench is
// refused: this build cannot read it, and must not overwrite it.
type FormatError struct {
	Version int
}

func (e *FormatError) Error() string {
	if e.Version < 1 {
		return fmt.Sprintf("unknown format version %d; this workbench reads %d", e.Version, FormatVersion)
	}
	return fmt.Sprintf("written by a newer workbench (format %d); this one reads %d", e.Version, FormatVersion)
}

func encodeMeta(s *Session) ([]byte, error) {
	b, err := EncodeJSON(s, "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding session %s: %w", s.ID, err)
	}
	return append(b, '\n'), nil
}

// encodeWeights serialises the model in memory first, so a failure never
// leaves a half-written file behind. The metadata makes the weights file
// self-describing when it is copied out of the store.
func encodeWeights(s *Session) ([]byte, error) {
	meta := map[string]string{"session.task": string(s.Data.Task)}
	for k, v := range map[string]any{
		"session.features":   s.Data.Features,
		"session.classes":    s.Data.Classes,
		"session.targets":    s.Data.Targets,
		"session.scaler":     s.Scaler,
		"session.preprocess": s.Preprocess,
	} {
		if b, err := json.Marshal(v); err == nil && string(b) != "null" {
			meta[k] = string(b)
		}
	}
	var buf bytes.Buffer
	if err := s.Model.WriteSafetensors(&buf, meta); err != nil {
		return nil, fmt.Errorf("encoding the weights of session %s: %w", s.ID, err)
	}
	return buf.Bytes(), nil
}

// peekVersion reads only the format version, so a newer file is refused
// with its own message before its fields are interpreted.
func peekVersion(b []byte) (int, error) {
	var v struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return 0, fmt.Errorf("%s is not valid JSON: %v", metaFile, err)
	}
	if v.Version == nil {
		return 0, fmt.Errorf("%s has no format version", metaFile)
	}
	return *v.Version, nil
}

// readMeta reads and checks a session's session.json (not its weights).
func (st *Store) readMeta(id string) (*Session, error) {
	b, err := readBounded(filepath.Join(st.Dir, id, metaFile), maxMetaBytes)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s is missing", metaFile)
	}
	if err != nil {
		return nil, err
	}
	v, err := peekVersion(b)
	if err != nil {
		return nil, err
	}
	if v < 1 || v > FormatVersion {
		return nil, &FormatError{v}
	}
	s := new(Session)
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("%s: %v", metaFile, err)
	}
	switch {
	case len(s.Data.Features) == 0:
		return nil, fmt.Errorf("%s lists no features", metaFile)
	case s.Scaler == nil || len(s.Scaler.Mean) != len(s.Data.Features) || len(s.Scaler.Std) != len(s.Data.Features):
		return nil, fmt.Errorf("%s: the scaler does not match the %d features", metaFile, len(s.Data.Features))
	}
	s.ID = id
	s.Model = nil
	return s, nil
}
