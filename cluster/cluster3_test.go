package cluster

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// freeAddrs returns n loopback addresses with ports free a moment ago: the
// routes of a JetStream cluster must be known before its servers start.
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		out = append(out, l.Addr().String())
	}
	for _, l := range ls {
		l.Close()
	}
	return out
}

// TestThreeNodes runs a JetStream cluster of three servers with three
// replicas, loses one server, and finds the catalogue and the job stream
// still working, for a worker with a worker's token.
func TestThreeNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("a three-server cluster takes seconds to elect its leaders")
	}
	const token = "three"
	routes := freeAddrs(t, 3)
	var srvs []*Server
	var urls []string
	for i := range 3 {
		s := startServer(t, ServerOptions{
			Name: fmt.Sprintf("n%d", i), Listen: "127.0.0.1:0", Token: token,
			Cluster: "alphamat-test", ClusterListen: routes[i], Routes: routes,
		})
		srvs = append(srvs, s)
		urls = append(urls, s.ClientURL())
	}
	ep := Endpoint{URLs: strings.Join(urls, ","), Token: token}
	hub := startHub(t, HubOptions{Endpoint: ep, Replicas: 3})
	s7 := strassen(t)
	std := tensorgame.Standard(tensorgame.Format{N: 1, M: 2, P: 2}, tensorgame.Z2)
	// The worker has a worker's rights only, on every node.
	wep := Endpoint{URLs: ep.URLs, Token: RoleToken(token, RoleWorker), Role: RoleWorker}
	w := runWorker(t, WorkerOptions{Endpoint: wep}, func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		if len(j.Starts) != 1 {
			return fmt.Errorf("job %s with %d starts, want 1", j.ID, len(j.Starts))
		}
		return publish(j.Starts[0])
	})
	ctx := context.Background()
	if err := hub.Submit(ctx, Job{ID: "before", Format: s7.Format, Field: s7.Field, Starts: []*tensorgame.Scheme{s7}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first job", func() bool { return get(t, hub.Catalogue(), KeyOf(s7)) != nil && w.jobsDone() == 1 })

	// Lose the server the hub is connected to: the hub moves to another.
	lost := -1
	for i, u := range urls {
		if u == hub.nc.ConnectedUrl() {
			lost = i
		}
	}
	if lost < 0 {
		t.Fatalf("the hub is connected to %s, none of %v", hub.nc.ConnectedUrl(), urls)
	}
	srvs[lost].Shutdown()

	if c := get(t, hub.Catalogue(), KeyOf(s7)); c == nil {
		waitFor(t, "the catalogue after losing a server", func() bool { return get(t, hub.Catalogue(), KeyOf(s7)) != nil })
	}
	waitFor(t, "a job submitted after losing a server", func() bool {
		tctx, cancel := context.WithTimeout(ctx, 2e9)
		defer cancel()
		return hub.Submit(tctx, Job{ID: "after", Format: std.Format, Field: std.Field, Starts: []*tensorgame.Scheme{std}}) == nil
	})
	waitFor(t, "the second job", func() bool { return get(t, hub.Catalogue(), KeyOf(std)) != nil && w.jobsDone() == 2 })
	if c := get(t, hub.Catalogue(), KeyOf(s7)); c == nil || !c.Equal(s7) {
		t.Errorf("catalogue %v after losing a server: %v", KeyOf(s7), c)
	}
	st := status(t, hub)
	if st.Best[KeyOf(s7)] != 7 || st.Best[KeyOf(std)] != 4 {
		t.Errorf("best %v, want ranks 7 and 4", st.Best)
	}
}
