//go:build linux && netns

package kernelsrc

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linerate/linerate/tables"
)

// waitTimeout bounds each wait for a snapshot.
const waitTimeout = 5 * time.Second

// ip runs `ip -n ns args...` and fails the test when it fails.
func ip(t *testing.T, ns string, args ...string) {
	t.Helper()
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// newNetns makes a namespace with port0 (192.0.2.1/24), port1 (198.51.100.1/24) and other0
// (203.0.113.1/24), all up, and deletes it at the end of the test. They are veth pairs whose
// other ends ("peer" + name, up as well) stay in the namespace: unlike dummy interfaces, veth
// needs no module that a test machine may lack.
func newNetns(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("the netns tests need root (to create network namespaces)")
	}
	ns := fmt.Sprintf("kernelsrc-%d", os.Getpid())
	ip(t, "", "netns", "add", ns)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
	for _, l := range []struct{ name, addr string }{
		{"port0", "192.0.2.1/24"}, {"port1", "198.51.100.1/24"}, {"other0", "203.0.113.1/24"},
	} {
		ip(t, ns, "link", "add", l.name, "type", "veth", "peer", "name", "peer"+l.name)
		ip(t, ns, "link", "set", "peer"+l.name, "up")
		ip(t, ns, "link", "set", l.name, "up")
		ip(t, ns, "addr", "add", l.addr, "dev", l.name)
	}
	return ns
}

// waitFor takes snapshots until one satisfies ok, failing the test after waitTimeout.
func waitFor(t *testing.T, snaps <-chan Snapshot, errs <-chan error, what string, ok func(Snapshot) bool) Snapshot {
	t.Helper()
	deadline := time.After(waitTimeout)
	var last Snapshot
	for {
		select {
		case s, open := <-snaps:
			if !open {
				t.Fatalf("%s: snapshot channel closed", what)
			}
			if ok(s) {
				return s
			}
			last = s
		case err := <-errs:
			t.Errorf("%s: watch error: %v", what, err)
		case <-deadline:
			t.Fatalf("%s: no matching snapshot within %v; last: %+v", what, waitTimeout, last)
		}
	}
}

func TestWatchNetns(t *testing.T) {
	ns := newNetns(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	snaps, errs, err := Watch(ctx, Options{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}

	first := waitFor(t, snaps, errs, "first snapshot", func(Snapshot) bool { return true })
	if len(first.Routes) != 0 || len(first.Neighbors) != 0 {
		t.Fatalf("first snapshot: want no routes and neighbours (connected routes skipped), got %+v", first)
	}

	ip(t, ns, "route", "add", "10.0.0.0/8", "via", "192.0.2.2")
	ip(t, ns, "route", "add", "blackhole", "10.66.0.0/16")
	ip(t, ns, "route", "add", "172.16.0.0/12", "dev", "port1")
	ip(t, ns, "route", "add", "100.64.0.0/10", "via", "203.0.113.2", "dev", "other0") // not a port
	ip(t, ns, "neigh", "add", "192.0.2.2", "lladdr", "02:00:00:00:01:02", "dev", "port0")
	ip(t, ns, "neigh", "add", "203.0.113.2", "lladdr", "02:00:00:00:01:03", "dev", "other0")
	wantRoutes := []tables.Route{
		{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Kind: tables.RouteVia, Gateway: netip.MustParseAddr("192.0.2.2"), Port: 0, Dev: true},
		{Prefix: netip.MustParsePrefix("10.66.0.0/16"), Kind: tables.RouteBlackhole, Port: -1},
		{Prefix: netip.MustParsePrefix("172.16.0.0/12"), Kind: tables.RouteOnLink, Port: 1, Dev: true},
	}
	wantNeighbors := []tables.Neighbor{
		{IP: netip.MustParseAddr("192.0.2.2"), MAC: net.HardwareAddr{2, 0, 0, 0, 1, 2}, Port: 0, State: "permanent"},
	}
	s := waitFor(t, snaps, errs, "after adding", func(s Snapshot) bool {
		return reflect.DeepEqual(s.Routes, wantRoutes) && reflect.DeepEqual(s.Neighbors, wantNeighbors)
	})
	if want := []string{"100.64.0.0/10: "}; len(s.Skipped) != 1 || !strings.HasPrefix(s.Skipped[0], want[0]) {
		t.Errorf("skipped: got %q, want one line for 100.64.0.0/10", s.Skipped)
	}

	ip(t, ns, "route", "del", "10.0.0.0/8")
	waitFor(t, snaps, errs, "after deleting", func(s Snapshot) bool {
		return reflect.DeepEqual(s.Routes, wantRoutes[1:]) && reflect.DeepEqual(s.Neighbors, wantNeighbors)
	})

	// Deleting port1 flushes its routes without route notifications: the link event makes
	// Watch dump again.
	ip(t, ns, "link", "del", "port1")
	waitFor(t, snaps, errs, "after deleting port1", func(s Snapshot) bool {
		return reflect.DeepEqual(s.Routes, wantRoutes[1:2]) && reflect.DeepEqual(s.Neighbors, wantNeighbors)
	})

	cancel()
	deadline := time.After(waitTimeout)
	for snaps != nil || errs != nil {
		select {
		case _, open := <-snaps:
			if !open {
				snaps = nil
			}
		case err, open := <-errs:
			if !open {
				errs = nil
			} else {
				t.Errorf("watch error: %v", err)
			}
		case <-deadline:
			t.Fatal("channels not closed after cancel")
		}
	}
}
