package sessions

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"workbench/datasets"
	"workbench/engine"
)

// errLinkedFolder is why a session folder that is a symbolic link is
// damaged: what it points at is outside the store (another user's folder
// over SSH), so it is never read or written through the store.
var errLinkedFolder = errors.New("its folder is a symbolic link; a session is a real folder in the sessions folder")

// linked reports whether the session name id is a symbolic link.
func (st *Store) linked(id string) bool {
	fi, err := os.Lstat(filepath.Join(st.Dir, id))
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// readValid reads session id with its model and checks it whole. It is the
// one validation List and Load share, so a session is listed healthy
// exactly when it loads. A *FormatError is returned as is; any other error
// is the reason the session is damaged.
func (st *Store) readValid(id string) (*Session, error) {
	if st.linked(id) {
		return nil, errLinkedFolder
	}
	s, err := st.readMeta(id)
	if err != nil {
		return nil, err
	}
	if err := checkMeta(s); err != nil {
		return nil, err
	}
	if s.disk != nil {
		if err := checkHistoryLog(filepath.Join(st.Dir, id), s.disk); err != nil {
			return nil, err
		}
	}
	m, err := readWeights(filepath.Join(st.Dir, id, weightsFile))
	if err != nil {
		return nil, err
	}
	cfg := m.Config()
	if cfg.Inputs != len(s.Data.Features) {
		return nil, fmt.Errorf("the model takes %d inputs, the session lists %d features", cfg.Inputs, len(s.Data.Features))
	}
	if s.IsClassification() && cfg.Outputs != len(s.Data.Classes) {
		return nil, fmt.Errorf("the model has %d outputs, the session lists %d classes", cfg.Outputs, len(s.Data.Classes))
	}
	s.Model = m
	return s, nil
}

// checkMeta checks what session.json says beyond its shape: a scaler that
// can standardise (finite means, stds finite and above 0) and, for
// classification, the classes.
func checkMeta(s *Session) error {
	if err := s.Scaler.Validate(s.Data.Features); err != nil {
		return fmt.Errorf("%s: %w", metaFile, err)
	}
	if s.IsClassification() && len(s.Data.Classes) < 2 {
		return fmt.Errorf("%s lists %d classes; classification needs at least 2", metaFile, len(s.Data.Classes))
	}
	return checkPreprocess(s)
}

// checkPreprocess checks a table session's stored preprocessing: a format
// this build reads, and exactly the features the scaler and model take, so
// that predicting never indexes past them.
func checkPreprocess(s *Session) error {
	if t := s.Data.Table; t != nil {
		// What Reprepare will load with: refused here, so that List and
		// Load call such a session damaged instead of failing later.
		if _, err := datasets.ParseImpute(string(t.Impute)); err != nil {
			return fmt.Errorf("%s: data.table: %w", metaFile, err)
		}
		if t.SkipRows < 0 || t.MaxCategories < 0 {
			return fmt.Errorf("%s: data.table: skip_rows %d and max_categories %d must not be negative", metaFile, t.SkipRows, t.MaxCategories)
		}
	}
	p := s.Preprocess
	if p == nil {
		return nil
	}
	if err := p.Check(); err != nil {
		return fmt.Errorf("%s: %w", metaFile, err)
	}
	if !slices.Equal(p.FeatureNames(), s.Data.Features) {
		return fmt.Errorf("%s: the preprocessing makes %d features, the session lists %d (%s)",
			metaFile, p.Outputs(), len(s.Data.Features), Clip(strings.Join(s.Data.Features, ", "), 60))
	}
	return nil
}

// readWeights reads the whole weights file: every tensor (dtype, shape,
// finite values, as engine.ReadSafetensors checks) and nothing after them.
func readWeights(path string) (*engine.Model, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s is missing", weightsFile)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	m, _, err := engine.ReadSafetensors(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", weightsFile, err)
	}
	if n, _ := io.Copy(io.Discard, io.LimitReader(br, 1<<20)); n > 0 {
		return nil, fmt.Errorf("%s has %d or more bytes after its tensors", weightsFile, n)
	}
	return m, nil
}
