package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Observe reads the state of a cluster without being its hub: the jobs
// pending and in flight, the catalogue's ranks, and the workers whose
// heartbeats arrive within listen (a worker beats every
// WorkerOptions.Heartbeat, 5s by default). The hub's counts of
// improvements (Accepted, Refused, Stale, Dropped, Done) are the hub's own
// and stay zero here. A server that refuses the token gives an error
// wrapping ErrRefused.
func Observe(ctx context.Context, e Endpoint, listen time.Duration) (Status, error) {
	nc, err := e.connect("alphamat-observer")
	if err != nil {
		return Status{}, err
	}
	defer nc.Close()
	var (
		mu      sync.Mutex
		workers = map[string]WorkerStatus{}
	)
	sub, err := nc.Subscribe(WorkersSubject+".*", func(m *nats.Msg) {
		var w WorkerStatus
		if len(m.Data) > 4<<10 || json.Unmarshal(m.Data, &w) != nil || w.Name == "" || len(w.Name) > 256 {
			return
		}
		w.LastSeen = time.Now()
		mu.Lock()
		if len(workers) < maxWorkersSeen {
			workers[w.Name] = w
		}
		mu.Unlock()
	})
	if err != nil {
		return Status{}, fmt.Errorf("cluster: observe: %w", err)
	}
	defer sub.Unsubscribe()
	js, err := jetstream.New(nc)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: observe: %w", err)
	}
	cons, err := js.Consumer(ctx, JobsStream, JobsConsumer)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: observe: no hub yet? %w", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: observe: %w", err)
	}
	obs, err := js.ObjectStore(ctx, CatalogueBucket)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: observe: catalogue: %w", err)
	}
	best, err := (&Catalogue{obs: obs}).Ranks(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: observe: %w", err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(listen):
	}
	st := Status{Pending: int(info.NumPending), InFlight: info.NumAckPending, Best: best}
	mu.Lock()
	for _, w := range workers {
		st.Workers = append(st.Workers, w)
	}
	mu.Unlock()
	slices.SortFunc(st.Workers, func(a, b WorkerStatus) int { return strings.Compare(a.Name, b.Name) })
	return st, nil
}
