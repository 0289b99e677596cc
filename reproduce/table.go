package reproduce

import (
	"slices"
	"sync"
	"time"
)

// table is the live state of the rows, shared by the row goroutines.
type table struct {
	mu       sync.Mutex
	rows     []Row
	tried    map[int]map[uint64]bool // row -> hashes of the restriction starts it had
	progress func([]Row)
	saveMu   sync.Mutex
}

func (t *table) snapshot() []Row {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.rows)
}

func (t *table) update(i int, f func(*Row)) {
	t.mu.Lock()
	f(&t.rows[i])
	t.mu.Unlock()
	t.notify()
}

func (t *table) notify() {
	if t.progress != nil {
		t.progress(t.snapshot())
	}
}

// tick calls notify every d until the returned function is called.
func (t *table) tick(d time.Duration) func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tk := time.NewTicker(d)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				t.notify()
			}
		}
	}()
	return func() { close(stop); wg.Wait() }
}
