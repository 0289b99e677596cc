package cluster

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
	"github.com/nats-io/nats.go"
)

// cpuTime returns the CPU time (user and system) of this process so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per op since start and the ops per second.
func reportCPU(b *testing.B, cpu0 time.Duration, t0 time.Time) {
	cpu := cpuTime(b) - cpu0
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "msgs/s")
}

// BenchmarkImprovement measures one improvement end to end, all in one
// process: a publisher sends a scheme to the improvements stream, the server
// stores it, the hub parses it, asks the catalogue for the rank, finds it
// stale and acks; a stale scheme is not verified (BenchmarkDecode measures
// Verify, which a new best costs in addition). cpu-ns/op is the CPU of the
// server, hub and publisher together per improvement. 8x8x8 (the standard
// scheme, 192 KiB of text) travels gzipped.
func BenchmarkImprovement(b *testing.B) {
	for _, s := range []*tensorgame.Scheme{
		strassen(b),
		tensorgame.Standard(tensorgame.Format{N: 8, M: 8, P: 8}, tensorgame.Z2),
	} {
		b.Run(fmt.Sprintf("%v-r%d", s.Format, s.Rank()), func(b *testing.B) {
			srv := startServer(b, ServerOptions{})
			hub := startHub(b, HubOptions{Endpoint: srv.Endpoint()})
			nc, err := srv.Endpoint().connect("bench")
			if err != nil {
				b.Fatal(err)
			}
			defer nc.Close()
			m, err := improvementMsg(s, "bench", "")
			if err != nil {
				b.Fatal(err)
			}
			if err := nc.PublishMsg(m); err != nil {
				b.Fatal(err)
			}
			waitFor(b, "the first scheme", func() bool { return status(b, hub).Accepted == 1 })
			handled := func() int {
				hub.mu.Lock()
				defer hub.mu.Unlock()
				return hub.stale + hub.refused
			}
			b.ResetTimer()
			cpu0, t0 := cpuTime(b), time.Now()
			for i := range b.N {
				m.Header.Set(nats.MsgIdHdr, fmt.Sprintf("bench-%d", i)) // defeat deduplication
				if err := nc.PublishMsg(m); err != nil {
					b.Fatal(err)
				}
				// Keep at most 64 in flight, as a few workers would.
				for i-handled() > 64 {
					time.Sleep(100 * time.Microsecond)
				}
			}
			for handled() < b.N {
				time.Sleep(100 * time.Microsecond)
			}
			b.StopTimer()
			reportCPU(b, cpu0, t0)
			b.ReportMetric(float64(len(m.Data)), "bytes/msg")
			if st := status(b, hub); st.Refused != 0 || st.Accepted != 1 {
				b.Fatalf("refused %d, accepted %d", st.Refused, st.Accepted)
			}
		})
	}
}

// BenchmarkJob measures one job's round trip, all in one process: the hub
// submits it, a worker fetches it, runs a function that does nothing and
// acks it (double ack). cpu-ns/op is the CPU of the server, hub and worker
// together per job.
func BenchmarkJob(b *testing.B) {
	srv := startServer(b, ServerOptions{})
	hub := startHub(b, HubOptions{Endpoint: srv.Endpoint()})
	w := runWorker(b, WorkerOptions{Endpoint: srv.Endpoint(), Heartbeat: time.Second}, func(context.Context, Job, func(*tensorgame.Scheme) error) error { return nil })
	ctx := context.Background()
	f := tensorgame.Format{N: 4, M: 4, P: 4}
	b.ResetTimer()
	cpu0, t0 := cpuTime(b), time.Now()
	for i := range b.N {
		if err := hub.Submit(ctx, Job{ID: fmt.Sprintf("bench-%d-%d", b.N, i), Format: f, Field: tensorgame.Z2, Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
	for w.jobsDone() < b.N {
		time.Sleep(100 * time.Microsecond)
	}
	b.StopTimer()
	reportCPU(b, cpu0, t0)
}

// BenchmarkDecode measures the hub's share of an improvement that is not
// messaging: gunzip, parse and verify.
func BenchmarkDecode(b *testing.B) {
	for _, s := range []*tensorgame.Scheme{
		strassen(b),
		tensorgame.Standard(tensorgame.Format{N: 8, M: 8, P: 8}, tensorgame.Z2),
	} {
		b.Run(fmt.Sprintf("%v-r%d", s.Format, s.Rank()), func(b *testing.B) {
			body, gz, err := encodeScheme(s)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := decodeScheme(body, gz, MaxSchemeText, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJobStarts measures what a job's starts cost outside messaging:
// encoding the job (Hub.Submit, besides verifying each start) and decoding
// it on arrival (parse and verify each start), for 1 to MaxStarts starts of
// 5x5x5 over Z2 at rank 125.
func BenchmarkJobStarts(b *testing.B) {
	f := tensorgame.Format{N: 5, M: 5, P: 5}
	std := tensorgame.Standard(f, tensorgame.Z2)
	for _, n := range []int{1, 4, 16, MaxStarts} {
		b.Run(fmt.Sprintf("starts=%d", n), func(b *testing.B) {
			j := Job{ID: "bench", Format: f, Field: tensorgame.Z2, Starts: make([]*tensorgame.Scheme, n)}
			for i := range j.Starts {
				j.Starts[i] = std
			}
			var size int
			for b.Loop() {
				body, err := encodeJob(j)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := decodeJob(body); err != nil {
					b.Fatal(err)
				}
				size = len(body)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
