package cluster

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// TestTwoHosts runs a worker process in its own network namespace, a second
// host reached over a veth pair, against a server that listens on a
// non-loopback address with a token. It needs root and ip(8); elsewhere it
// skips.
func TestTwoHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("network namespaces: skipped in short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("network namespaces need ip(8)")
	}
	id := os.Getpid() % 100000
	ns := fmt.Sprintf("amc%d", id)
	vh, vw := ns+"h", ns+"w" // interface names have at most 15 bytes
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	if out, err := exec.Command("ip", "link", "add", vh, "type", "veth", "peer", "name", vw).CombinedOutput(); err != nil {
		t.Skipf("ip link add veth: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "link", "del", vh).Run() })
	// A link-local /30 of its own per process.
	hostIP := fmt.Sprintf("169.254.%d.%d", 1+id%250, 1+4*(id/250%60))
	workerIP := hostIP[:strings.LastIndex(hostIP, ".")+1] + fmt.Sprint(2+4*(id/250%60))
	ip("link", "set", vw, "netns", ns)
	ip("addr", "add", hostIP+"/30", "dev", vh)
	ip("link", "set", vh, "up")
	ip("netns", "exec", ns, "ip", "addr", "add", workerIP+"/30", "dev", vw)
	ip("netns", "exec", ns, "ip", "link", "set", vw, "up")
	ip("netns", "exec", ns, "ip", "link", "set", "lo", "up")

	srv := startServer(t, ServerOptions{Listen: hostIP + ":0", Token: "net"})
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint()})
	if err := hub.Submit(context.Background(), Job{ID: "remote", Format: tensorgame.Format{N: 2, M: 2, P: 2}, Field: tensorgame.Z, Budget: time.Hour}); err != nil {
		t.Fatal(err)
	}
	child := func(token string) *exec.Cmd {
		cfg, _ := json.Marshal(childConfig{URL: srv.ClientURL(), Token: token, Outbox: t.TempDir()})
		cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+string(cfg))
		return cmd
	}

	// A wrong token is refused, with a message that says so.
	out, err := child("guess").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "wrong or missing token") {
		t.Errorf("a worker with a wrong token on the other host: %v: %s", err, out)
	}

	cmd := child("net")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "published remote" {
		t.Fatalf("worker on the other host: %q, %v", line, err)
	}
	waitFor(t, "the remote worker's schemes", func() bool { return len(status(t, hub).Best) == 2 })
	if c := get(t, hub.Catalogue(), KeyOf(strassen(t))); c == nil || c.Rank() != 7 {
		t.Errorf("catalogue 2x2x2-Z: %v, want Strassen", c)
	}
}
