package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/alphamat/alphamat/tensorgame"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrNotFound is returned by Catalogue.Get for a key without a scheme.
var ErrNotFound = errors.New("cluster: no scheme in the catalogue")

// Object metadata of catalogue entries.
const (
	metaRank     = "rank"
	metaEncoding = "encoding" // "gzip" when the object is compressed
)

// A Catalogue is the best scheme per format and field, kept in the JetStream
// object store CatalogueBucket: the source of truth across hosts. Every
// scheme it returns has been parsed with size limits and verified.
type Catalogue struct {
	obs jetstream.ObjectStore
}

// Get returns the best scheme of k, verified, or an error wrapping
// ErrNotFound.
func (c *Catalogue) Get(ctx context.Context, k Key) (*tensorgame.Scheme, error) {
	name := k.String()
	info, err := c.obs.GetInfo(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: catalogue %s: %w", name, err)
	}
	if info.Size > MaxSchemeText {
		return nil, fmt.Errorf("cluster: catalogue %s: %d bytes, more than %d", name, info.Size, MaxSchemeText)
	}
	body, err := c.obs.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("cluster: catalogue %s: %w", name, err)
	}
	s, err := decodeScheme(body, info.Metadata[metaEncoding] == "gzip", MaxSchemeText, CatalogueBucket+"/"+name)
	if err != nil {
		return nil, err
	}
	if KeyOf(s) != k {
		return nil, fmt.Errorf("cluster: catalogue %s holds a scheme of %v", name, KeyOf(s))
	}
	return s, nil
}

// Ranks returns the rank of every entry, as its metadata says.
func (c *Catalogue) Ranks(ctx context.Context) (map[Key]int, error) {
	infos, err := c.obs.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return map[Key]int{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: catalogue: %w", err)
	}
	out := make(map[Key]int, len(infos))
	for _, info := range infos {
		k, err := parseKey(info.Name)
		if err != nil {
			continue // not ours
		}
		r, err := strconv.Atoi(info.Metadata[metaRank])
		if err != nil {
			continue
		}
		out[k] = r
	}
	return out, nil
}

// rank returns the rank of k's entry by its metadata, 0 when there is none.
func (c *Catalogue) rank(ctx context.Context, k Key) (int, error) {
	info, err := c.obs.GetInfo(ctx, k.String())
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	r, err := strconv.Atoi(info.Metadata[metaRank])
	if err != nil {
		return 0, fmt.Errorf("catalogue %s: bad rank metadata %q", k, info.Metadata[metaRank])
	}
	return r, nil
}

// put stores s (verified by the caller) as the entry of its key.
func (c *Catalogue) put(ctx context.Context, s *tensorgame.Scheme) error {
	body, gz, err := encodeScheme(s)
	if err != nil {
		return err
	}
	meta := jetstream.ObjectMeta{
		Name:     KeyOf(s).String(),
		Metadata: map[string]string{metaRank: strconv.Itoa(s.Rank()), "hash": strconv.FormatUint(s.Hash(), 16)},
	}
	if gz {
		meta.Metadata[metaEncoding] = "gzip"
	}
	_, err = c.obs.Put(ctx, meta, bytes.NewReader(body))
	return err
}

// Mirror writes every entry of the catalogue into dir as "<key>.txt",
// atomically, and returns how many it wrote.
func (c *Catalogue) Mirror(ctx context.Context, dir string) (int, error) {
	ranks, err := c.Ranks(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for k := range ranks {
		s, err := c.Get(ctx, k)
		if err != nil {
			return n, err
		}
		if err := mirrorOne(dir, s); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// mirrorOne writes s into dir as "<key>.txt" (verified, atomic).
func mirrorOne(dir string, s *tensorgame.Scheme) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cluster: mirror: %w", err)
	}
	return tensorgame.WriteFile(filepath.Join(dir, KeyOf(s).String()+".txt"), s)
}

// parseKey reads a key from "4x4x4-Z2".
func parseKey(name string) (Key, error) {
	i := len(name) - 1
	for i >= 0 && name[i] != '-' {
		i--
	}
	if i < 0 {
		return Key{}, fmt.Errorf("catalogue name %q is not <format>-<field>", name)
	}
	f, err := tensorgame.ParseFormat(name[:i])
	if err != nil {
		return Key{}, err
	}
	fld, err := tensorgame.ParseField(name[i+1:])
	if err != nil {
		return Key{}, err
	}
	return Key{f, fld}, nil
}
