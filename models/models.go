package models

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/alphamat/alphamat/tensorgame"
)

//go:embed *.model
var files embed.FS

// Model names one shipped network.
type Model struct {
	Name   string            // file name, e.g. "2x2x2_Z2.model"
	Format tensorgame.Format // the format it was sized for (its axes bound those it can play)
	Field  tensorgame.Field
}

// List returns the shipped models, smallest format first.
func List() []Model {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil // the embedded directory always reads
	}
	var out []Model
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".model")
		if !ok {
			continue
		}
		fpart, ff, ok := strings.Cut(base, "_")
		if !ok {
			continue
		}
		f, err1 := tensorgame.ParseFormat(fpart)
		field, err2 := tensorgame.ParseField(ff)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Model{Name: e.Name(), Format: f, Field: field})
	}
	slices.SortFunc(out, func(a, b Model) int { return a.Format.Naive() - b.Format.Naive() })
	return out
}

// Open returns the bytes of the shipped model called name.
func Open(name string) ([]byte, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("shipped model %q: %w", name, err)
	}
	return b, nil
}

// For returns the smallest shipped model over field whose axes contain
// those of f (ok false if none does).
func For(f tensorgame.Format, field tensorgame.Field) (m Model, ok bool) {
	a, b, c := f.Dims()
	for _, m := range List() {
		ma, mb, mc := m.Format.Dims()
		if m.Field == field && a <= ma && b <= mb && c <= mc {
			return m, true
		}
	}
	return Model{}, false
}
