package cluster

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
	"github.com/nats-io/nats.go"
)

// Names of the subjects, streams, consumers and buckets (see the package doc).
const (
	JobsStream         = "ALPHAMAT_JOBS"
	JobsSubject        = "alphamat.jobs"
	JobsConsumer       = "walkers"
	ImprovementsStream = "ALPHAMAT_IMPROVEMENTS"
	ImproveSubject     = "alphamat.improve" // + ".<format>.<field>"
	DoneSubject        = "alphamat.done"    // JobDone reports, on the improvements stream
	HubConsumer        = "hub"
	CatalogueBucket    = "alphamat-catalogue"
	WorkersSubject     = "alphamat.workers" // + ".<worker>"
)

// Headers of improvement messages.
const (
	hdrEncoding = "Content-Encoding" // "gzip" when the body is compressed
	hdrWorker   = "Alphamat-Worker"
	hdrJob      = "Alphamat-Job"
)

const (
	// MaxSchemeText bounds the text of one scheme after decompression,
	// unless HubOptions.MaxSchemeText says otherwise: 16x16x16 over Z2 at
	// rank 4096 is 6 MiB of text.
	MaxSchemeText = 64 << 20
	// compressAbove is the text size above which schemes travel gzipped.
	compressAbove = 16 << 10
	// maxJobMeta bounds a job's JSON without its start schemes.
	maxJobMeta = 64 << 10
	// maxJobText bounds a job's JSON after decompression, start schemes
	// and all: one job carries at most MaxSchemeText of scheme text, in
	// one start or spread over many.
	maxJobText = MaxSchemeText + maxJobMeta
	// MaxStarts bounds the start schemes of one job. A frontier search
	// starts from a few catalogue schemes and restrictions (about twenty);
	// the bound keeps a hostile job from costing many verifications.
	MaxStarts = 64
	// MaxJobID bounds the length of a job's ID, which every log line and
	// error about the job carries.
	MaxJobID = 1 << 10
)

// ErrJobTooLarge is the error of a job whose message would be larger than
// the servers and streams allow, or whose text is larger than MaxSchemeText
// plus 64 KiB: a scheduler can send it again with fewer starts.
var ErrJobTooLarge = errors.New("cluster: job too large")

// A Job is one unit of work: search Format over Field from its starts, for
// a budget, with a seed. The job function of a [Worker] decides what that
// means; this package only carries jobs.
type Job struct {
	// ID names the job; a job submitted twice with one ID within the
	// stream's duplicate window (two minutes) is queued once.
	ID     string            `json:"id"`
	Format tensorgame.Format `json:"format"`
	Field  tensorgame.Field  `json:"field"`
	// Starts are the schemes to start from, of Format over any field, at
	// most MaxStarts: each is verified by [Hub.Submit] and again on
	// arrival. None: the start is given by From, or is the job function's
	// choice (the standard algorithm, say).
	Starts []*tensorgame.Scheme `json:"-"`
	// From names catalogue schemes the start is made of (see
	// [Catalogue.Get]), and Move the meta move that makes it (empty: From[0]
	// as it is).
	From []tensorgame.Parent `json:"from,omitempty"`
	Move tensorgame.Move     `json:"move,omitempty"`
	// Budget is how long the job may run; 0: until the worker stops.
	Budget time.Duration `json:"budget"`
	Seed   uint64        `json:"seed"`
	// Target is the rank at which the job may stop; 0: the job
	// function's choice.
	Target int `json:"target,omitempty"`
	// Lineage names a line of jobs of one format and field that go on
	// from each other's results apart from the others (a frontier's fresh
	// walks from the standard algorithm, say): a job function keeps a
	// lineage's work apart (a pool of its own). Empty: the main line. At
	// most MaxLineage bytes of a-z and 0-9 (ValidLineage).
	Lineage string `json:"lineage,omitempty"`
}

// MaxLineage bounds the length of Job.Lineage.
const MaxLineage = 16

// ValidLineage reports whether s can name a lineage (Job.Lineage): empty,
// or up to MaxLineage letters a-z and digits, so that it is safe in a
// file name.
func ValidLineage(s string) bool {
	if len(s) > MaxLineage {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// JobDone is a worker's report of a job it ran to its end: sent after the
// job's schemes on the same stream, so a hub sees them first.
type JobDone struct {
	ID        string        `json:"id"`
	Worker    string        `json:"worker"`
	Elapsed   time.Duration `json:"elapsed"`
	Published int           `json:"published"`     // schemes the job published
	Err       string        `json:"err,omitempty"` // the job function's error; the job is handed back
	// Work is what the job function counted with [ReportWork] (a
	// search: its flips).
	Work int64 `json:"work,omitempty"`
}

// maxJobDone bounds a JobDone message.
const maxJobDone = 64 << 10

// jobWire is a Job as sent: JSON with the start schemes as a list of
// texts. On arrival the list stays raw until the job's ID is known and is
// then read one start at a time (decodeStarts), so that a hostile list
// costs no more than its bytes.
type jobWire struct {
	Job
	Starts json.RawMessage `json:"starts,omitempty"`
}

// Key names a catalogue entry: a format and a field.
type Key struct {
	Format tensorgame.Format
	Field  tensorgame.Field
}

// KeyOf returns the key of s.
func KeyOf(s *tensorgame.Scheme) Key { return Key{s.Format, s.Field} }

// String returns "4x4x4-Z2", the key's object name in the catalogue and its
// file name (with ".txt") in a mirror directory.
func (k Key) String() string { return k.Format.String() + "-" + k.Field.String() }

// subject returns the improvement subject of k.
func (k Key) subject() string {
	return ImproveSubject + "." + k.Format.String() + "." + k.Field.String()
}

// parseKeySubject reads the key from an improvement subject.
func parseKeySubject(subj string) (Key, error) {
	rest, ok := strings.CutPrefix(subj, ImproveSubject+".")
	f, fld, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 {
		return Key{}, fmt.Errorf("subject %q is not %s.<format>.<field>", subj, ImproveSubject)
	}
	format, err := tensorgame.ParseFormat(f)
	if err != nil {
		return Key{}, fmt.Errorf("subject %q: %w", subj, err)
	}
	field, err := tensorgame.ParseField(fld)
	if err != nil {
		return Key{}, fmt.Errorf("subject %q: %w", subj, err)
	}
	return Key{format, field}, nil
}

// encodeScheme returns s as text, gzipped when large, and whether it is.
func encodeScheme(s *tensorgame.Scheme) ([]byte, bool, error) {
	var buf bytes.Buffer
	if err := tensorgame.Write(&buf, s); err != nil {
		return nil, false, err
	}
	if buf.Len() <= compressAbove {
		return buf.Bytes(), false, nil
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(buf.Bytes())
	if err := zw.Close(); err != nil {
		return nil, false, err
	}
	return z.Bytes(), true, nil
}

// decodeScheme parses and verifies a scheme from the body of a message,
// gunzipping it first when gz is set, never reading more than limit bytes of
// text.
func decodeScheme(body []byte, gz bool, limit int, name string) (*tensorgame.Scheme, error) {
	s, err := parseScheme(body, gz, limit, name)
	if err != nil {
		return nil, err
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// parseScheme is decodeScheme without Verify.
func parseScheme(body []byte, gz bool, limit int, name string) (*tensorgame.Scheme, error) {
	var r io.Reader = bytes.NewReader(body)
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		text, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		if len(text) > limit {
			return nil, fmt.Errorf("%s: more than %d bytes of scheme text", name, limit)
		}
		r = bytes.NewReader(text)
	} else if len(body) > limit {
		return nil, fmt.Errorf("%s: more than %d bytes of scheme text", name, limit)
	}
	return tensorgame.Parse(r, name)
}

// improvementMsg returns the message that publishes s.
func improvementMsg(s *tensorgame.Scheme, worker, job string) (*nats.Msg, error) {
	body, gz, err := encodeScheme(s)
	if err != nil {
		return nil, err
	}
	m := nats.NewMsg(KeyOf(s).subject())
	m.Data = body
	if gz {
		m.Header.Set(hdrEncoding, "gzip")
	}
	if worker != "" {
		m.Header.Set(hdrWorker, worker)
	}
	if job != "" {
		m.Header.Set(hdrJob, job)
	}
	m.Header.Set(nats.MsgIdHdr, msgID(s))
	return m, nil
}

// msgID names a scheme for deduplication: key, rank and hash.
func msgID(s *tensorgame.Scheme) string {
	return KeyOf(s).String() + "-r" + strconv.Itoa(s.Rank()) + "-" + strconv.FormatUint(s.Hash(), 16)
}

// encodeJob returns the body of a job message: JSON, gzipped above
// compressAbove. It does not verify the starts (Hub.Submit does).
func encodeJob(j Job) ([]byte, error) {
	if len(j.Starts) > MaxStarts {
		return nil, fmt.Errorf("%d starts, more than MaxStarts = %d", len(j.Starts), MaxStarts)
	}
	w := jobWire{Job: j}
	if len(j.Starts) > 0 {
		texts := make([]string, len(j.Starts))
		var buf bytes.Buffer
		for i, s := range j.Starts {
			if s == nil {
				return nil, fmt.Errorf("start %d: no scheme", i)
			}
			buf.Reset()
			if err := tensorgame.Write(&buf, s); err != nil {
				return nil, fmt.Errorf("start %d: %w", i, err)
			}
			texts[i] = buf.String()
		}
		b, err := json.Marshal(texts)
		if err != nil {
			return nil, err
		}
		w.Starts = b
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	if len(b) > maxJobText {
		return nil, fmt.Errorf("%d bytes of text, more than %d (%w)", len(b), maxJobText, ErrJobTooLarge)
	}
	if len(b) <= compressAbove {
		return b, nil
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return z.Bytes(), nil
}

// gzipMagic starts every gzip stream; JSON never starts with it.
var gzipMagic = []byte{0x1f, 0x8b}

// decodeJob reads a job from the body of a message and verifies its
// starts; it never reads more than maxJobText bytes of JSON.
func decodeJob(body []byte) (Job, error) { return readJob(body, maxJobText) }

// readJob is decodeJob with limit bytes of JSON at most.
func readJob(body []byte, limit int) (Job, error) {
	if bytes.HasPrefix(body, gzipMagic) {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return Job{}, fmt.Errorf("job: gzip: %w", err)
		}
		b, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
		if err != nil {
			return Job{}, fmt.Errorf("job: gzip: %w", err)
		}
		body = b
	}
	if len(body) > limit {
		return Job{}, fmt.Errorf("%s: more than %d bytes of job text", whereCut(body[:limit]), limit)
	}
	var w jobWire
	if err := json.Unmarshal(body, &w); err != nil {
		return Job{}, fmt.Errorf("job: %w", err)
	}
	j := w.Job
	if j.ID == "" {
		return Job{}, errors.New("job: no ID")
	}
	if len(j.ID) > MaxJobID {
		return Job{}, fmt.Errorf("job: ID of %d bytes, more than MaxJobID = %d", len(j.ID), MaxJobID)
	}
	if !j.Format.Valid() || !j.Field.Valid() {
		return Job{}, fmt.Errorf("job %s: bad format %v or field %v", j.ID, j.Format, j.Field)
	}
	if j.Budget < 0 || j.Target < 0 {
		return Job{}, fmt.Errorf("job %s: negative budget or target", j.ID)
	}
	if !ValidLineage(j.Lineage) {
		return Job{}, fmt.Errorf("job %s: lineage %q: want at most %d letters a-z and digits", j.ID, j.Lineage, MaxLineage)
	}
	starts, err := decodeStarts(j.ID, j.Format, w.Starts)
	if err != nil {
		return Job{}, err
	}
	j.Starts = starts
	return j, nil
}

// decodeStarts reads, parses and verifies the start schemes of job id, a
// JSON list of at most MaxStarts scheme texts, each of format f.
func decodeStarts(id string, f tensorgame.Format, raw json.RawMessage) ([]*tensorgame.Scheme, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil, fmt.Errorf("job %s: starts: not a list of scheme texts", id)
	}
	var starts []*tensorgame.Scheme
	for i := 0; dec.More(); i++ {
		if i == MaxStarts {
			return nil, fmt.Errorf("job %s: start %d: more than MaxStarts = %d starts", id, i, MaxStarts)
		}
		var text string
		if err := dec.Decode(&text); err != nil {
			return nil, fmt.Errorf("job %s: start %d: %w", id, i, err)
		}
		s, err := decodeScheme([]byte(text), false, MaxSchemeText, fmt.Sprintf("job %s start %d", id, i))
		if err != nil {
			return nil, err
		}
		if err := checkStartFormat(s, f); err != nil {
			return nil, fmt.Errorf("job %s: start %d: %w", id, i, err)
		}
		starts = append(starts, s)
	}
	return starts, nil
}

// checkStartFormat reports whether a start s fits a job of format f.
func checkStartFormat(s *tensorgame.Scheme, f tensorgame.Format) error {
	if s.Format != f {
		return fmt.Errorf("a %v scheme, the job is %v", s.Format, f)
	}
	return nil
}

// whereCut names the job and the start in which the job text b, cut at the
// bound on its length, ends: "job ID start 3", or less as far as b tells.
func whereCut(b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	var id string
	start := -1
	if t, err := dec.Token(); err == nil && t == json.Delim('{') {
		var v json.RawMessage // reused: skipping a value costs no new copy
	fields:
		for dec.More() {
			t, err := dec.Token()
			key, ok := t.(string)
			if err != nil || !ok {
				break
			}
			switch key {
			case "id":
				if dec.Decode(&v) != nil {
					break fields
				}
				if len(v) <= MaxJobID+2 {
					json.Unmarshal(v, &id)
				}
			case "starts":
				if t, err := dec.Token(); err != nil || t != json.Delim('[') {
					break fields
				}
				for start = 0; dec.More(); start++ {
					if dec.Decode(&v) != nil {
						break fields
					}
				}
				start = -1 // the list ended: the cut is after it
			default:
				if dec.Decode(&v) != nil {
					break fields
				}
			}
		}
	}
	name := "job"
	if id != "" {
		name += " " + id
	}
	if start >= 0 {
		name += " start " + strconv.Itoa(start)
	}
	return name
}
