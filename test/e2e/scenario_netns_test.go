//go:build linux && netns

package e2e

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/linerate/linerate/tables"
)

// requireRoot fails the test where hosts cannot be built: not root, or a tool missing. This file
// builds only with the `netns` tag, which `make test` sets (as root, with iproute2 and iputils
// installed); plain `go test ./...` leaves it out instead of skipping it.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("needs root: network namespaces and veth pairs")
	}
	if missing := HaveTools(); len(missing) > 0 {
		t.Fatalf("needs the commands %v (apt-get install iproute2 iputils-ping iputils-tracepath)", missing)
	}
}

// TestScenarioLinuxRouter runs the end-to-end scenario against the oracle: a Linux router in a
// namespace configured from testdata/e2e.conf, with a Linux host on each of its three ports.
func TestScenarioLinuxRouter(t *testing.T) {
	requireRoot(t)
	const conf = "testdata/e2e.conf"
	cfg, err := tables.LoadConfig(conf, tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	start := time.Now()
	router, err := NewLinuxRouter(ctx, LinuxRouterOptions{Config: conf, Links: NewLinkNames(3)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := router.Close(); err != nil {
			t.Error(err)
		}
	})
	hosts, err := NewHosts(ctx, cfg, router.PortLinks(), HostsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Registered after the router's Close, so it runs before it.
	t.Cleanup(func() {
		if err := hosts.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Logf("router %s and %d hosts built in %v", router.NS, len(hosts.List), time.Since(start).Round(time.Millisecond))
	for _, h := range hosts.List {
		t.Logf("host %s: ns %s, %s %s mtu %d, via %s", h, h.NS, h.IfName, h.MAC, h.MTU, h.Gateway)
	}

	RunScenario(t, cfg, hosts)
	if t.Failed() {
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		t.Logf("router after the failure:\n%s", router.Describe(dctx))
	}
}

// PortLinks maps port p to links[p].
func PortLinks(links []string) map[int]string {
	m := map[int]string{}
	for p, l := range links {
		m[p] = l
	}
	return m
}

// logWriter sends the daemon's log lines to the test log.
type logWriter struct {
	t   *testing.T
	buf *bytes.Buffer
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
