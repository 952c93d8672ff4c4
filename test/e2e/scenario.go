//go:build linux

package e2e

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"testing"
	"time"

	"github.com/linerate/linerate/tables"
)

// Scenario bounds. Every wait is bounded: against a router that drops everything the scenario
// fails in under a minute (about 45s with the defaults, mostly tracepath's silent hops and
// the TCP connects).
const (
	// DefaultTransferBytes is the size of each TCP transfer.
	DefaultTransferBytes = 1 << 20
	// DefaultTransferTimeout bounds each TCP transfer, connecting included.
	DefaultTransferTimeout = 10 * time.Second
	// scenarioTimeout bounds the whole scenario; the check timeouts bound each check.
	scenarioTimeout = 2 * time.Minute
	pingTimeout     = 10 * time.Second
	// tracepathTimeout leaves room for TracepathMaxHops silent hops.
	tracepathTimeout = 15 * time.Second
	// pingMinReplies of pingCount echo requests must be answered: the first may be lost while
	// the router resolves the destination by ARP.
	pingCount      = 3
	pingMinReplies = 2
)

// ScenarioOptions adjust RunScenarioOptions to a slower router (a simulated one). Zero values
// take the defaults.
type ScenarioOptions struct {
	TransferBytes   int           // bytes per TCP transfer (0: DefaultTransferBytes)
	TransferTimeout time.Duration // per TCP transfer (0: DefaultTransferTimeout)
	PingWait        time.Duration // how long ping waits for the last reply (0: PingOptions' 1s)
}

// RunScenario runs the end-to-end checks of a router configured by cfg, with hosts on its ports
// (NewHosts with the same cfg), as subtests of t, with the default ScenarioOptions:
//
//   - ping: every host pings every host on another subnet, in parallel; pingMinReplies of
//     pingCount replies.
//   - tracepath: from host A to host B (the two hosts behind the largest port MTUs) the router's
//     address on A's subnet is hop 1 and B is hop 2, reached.
//   - df_ping: a ping with Don't Fragment, bigger than the smallest port MTU, towards the host
//     behind that port gets "frag needed" from a router address, with that MTU.
//   - tracepath_pmtu: tracepath from A to that host finds the same two hops and that path MTU.
//   - tcp: 1 MiB over TCP from A to B arrives intact.
//   - tcp_pmtu: 1 MiB over TCP from A to the host behind the smallest MTU arrives intact, and A
//     has learned that MTU as the path MTU (path MTU discovery through the router's frag-needed
//     errors; Linux sets DF on every TCP segment).
//
// Before each MTU check A forgets the path MTUs it learned (FlushRouteCache), so the router has
// to answer again. The MTU checks are skipped when no port's MTU is below the hosts'. Each check
// logs its duration; when a check fails, the hosts' state is logged at the end.
func RunScenario(t *testing.T, cfg *tables.Config, hosts *Hosts) {
	t.Helper()
	RunScenarioOptions(t, cfg, hosts, ScenarioOptions{})
}

// RunScenarioOptions is RunScenario with options.
func RunScenarioOptions(t *testing.T, cfg *tables.Config, hosts *Hosts, opt ScenarioOptions) {
	t.Helper()
	if opt.TransferBytes <= 0 {
		opt.TransferBytes = DefaultTransferBytes
	}
	if opt.TransferTimeout <= 0 {
		opt.TransferTimeout = DefaultTransferTimeout
	}
	if len(hosts.List) < 2 {
		t.Fatalf("e2e: the scenario needs hosts on two ports at least, have %d", len(hosts.List))
	}
	ctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
	defer cancel()
	start := time.Now()
	defer func() {
		t.Logf("scenario took %v", time.Since(start).Round(time.Millisecond))
		if t.Failed() {
			dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer dcancel()
			t.Logf("hosts after the failure:\n%s", hosts.Describe(dctx))
		}
	}()

	portMTU := func(h *Host) int { return int(cfg.Ports[h.Port].MTU) }
	for _, h := range hosts.List {
		if h.Port < 0 || h.Port >= len(cfg.Ports) {
			t.Fatalf("e2e: host %s is on a port the configuration does not have", h)
		}
	}
	// A and B: the hosts behind the largest port MTUs (lowest port first), so their traffic
	// never meets a smaller MTU. small: the host behind the smallest port MTU.
	byMTU := append([]*Host(nil), hosts.List...)
	sort.SliceStable(byMTU, func(i, j int) bool { return portMTU(byMTU[i]) > portMTU(byMTU[j]) })
	a, b, small := byMTU[0], byMTU[1], byMTU[len(byMTU)-1]
	minMTU := portMTU(small)
	// The biggest packet A can send that reaches the router (A's MTU and A's port MTU).
	probeMax := min(a.MTU, portMTU(a))
	mtuChecks := small != a && minMTU < probeMax
	noMTU := func(t *testing.T) {
		// the scenario's configuration must have one: frag-needed is part of what it checks
		t.Fatalf("no port MTU below the hosts' (smallest: port%d mtu %d, hosts %d)", small.Port, minMTU, probeMax)
	}

	t.Run("ping", func(t *testing.T) {
		for _, src := range hosts.List {
			for _, dst := range hosts.List {
				if src == dst || src.Subnet == dst.Subnet {
					continue
				}
				t.Run(fmt.Sprintf("port%d-port%d", src.Port, dst.Port), func(t *testing.T) {
					t.Parallel()
					pctx, cancel := context.WithTimeout(ctx, pingTimeout)
					defer cancel()
					r, err := Ping(pctx, src, dst.Addr, PingOptions{Count: pingCount, Wait: opt.PingWait})
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("ping %s -> %s: %d/%d replies in %v", src, dst, r.Received, r.Transmitted, r.Duration.Round(time.Millisecond))
					if r.Received < pingMinReplies {
						t.Errorf("ping %s -> %s: %d of %d replies, want %d at least:\n%s", src, dst,
							r.Received, r.Transmitted, pingMinReplies, r.Output)
					}
				})
			}
		}
	})

	t.Run("tracepath", func(t *testing.T) {
		checkTrace(t, ctx, a, b, 0)
	})

	t.Run("df_ping", func(t *testing.T) {
		if !mtuChecks {
			noMTU(t)
		}
		pctx, cancel := context.WithTimeout(ctx, pingTimeout)
		defer cancel()
		// A path MTU A learned earlier would answer locally instead of the router.
		if err := FlushRouteCache(pctx, a); err != nil {
			t.Fatal(err)
		}
		size := min(minMTU+100, probeMax) - 28 // IPv4 and ICMP headers
		r, err := Ping(pctx, a, small.Addr, PingOptions{Count: 2, Size: size, DF: true, Wait: opt.PingWait})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("DF ping %s -> %s, %d-byte packets: frag needed mtu %d from %v, local mtu %d, %d/%d replies, in %v",
			a, small, size+28, r.FragNeededMTU, r.FragNeededFrom, r.LocalMTU, r.Received, r.Transmitted,
			r.Duration.Round(time.Millisecond))
		if r.FragNeededMTU != minMTU {
			t.Errorf("DF ping %s -> %s with %d-byte packets: want frag needed with mtu %d from the router, got mtu %d:\n%s",
				a, small, size+28, minMTU, r.FragNeededMTU, r.Output)
		} else if !isRouterAddr(cfg, r.FragNeededFrom) {
			t.Errorf("DF ping %s -> %s: frag needed came from %v, not a router address:\n%s", a, small,
				r.FragNeededFrom, r.Output)
		}
		if r.Received != 0 {
			t.Errorf("DF ping %s -> %s: %d replies to packets bigger than the path MTU", a, small, r.Received)
		}
	})

	t.Run("tracepath_pmtu", func(t *testing.T) {
		if !mtuChecks {
			noMTU(t)
		}
		fctx, cancel := context.WithTimeout(ctx, tracepathTimeout)
		defer cancel()
		if err := FlushRouteCache(fctx, a); err != nil {
			t.Fatal(err)
		}
		checkTrace(t, ctx, a, small, minMTU)
	})

	t.Run("tcp", func(t *testing.T) {
		checkTransfer(t, ctx, a, b, opt)
	})

	t.Run("tcp_pmtu", func(t *testing.T) {
		if !mtuChecks {
			noMTU(t)
		}
		fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := FlushRouteCache(fctx, a); err != nil {
			t.Fatal(err)
		}
		checkTransfer(t, ctx, a, small, opt)
		// DF is set on every segment: the transfer must have gone through path MTU discovery.
		// (Its own deadline: the transfer may have used up the flush's.)
		qctx, qcancel := context.WithTimeout(ctx, 10*time.Second)
		defer qcancel()
		if pmtu, err := PathMTU(qctx, a, small.Addr); err != nil {
			t.Error(err)
		} else if pmtu != minMTU {
			t.Errorf("after TCP %s -> %s: %s learned path MTU %d, want %d", a, small, a, pmtu, minMTU)
		}
	})
}

// checkTrace runs tracepath from src to dst and wants the router's address on src's subnet as
// hop 1 and dst as hop 2, reached; and the path MTU pmtu when it is not 0.
func checkTrace(t *testing.T, ctx context.Context, src, dst *Host, pmtu int) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, tracepathTimeout)
	defer cancel()
	tr, err := Tracepath(tctx, src, dst.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tracepath %s -> %s: %s, in %v", src, dst, tr, tr.Duration.Round(time.Millisecond))
	want := []netip.Addr{src.Gateway, dst.Addr}
	if !tr.Reached || len(tr.Hops) != len(want) || tr.Hops[0] != want[0] || tr.Hops[1] != want[1] {
		t.Errorf("tracepath %s -> %s: %s, want hops %v, reached:\n%s", src, dst, tr, want, tr.Output)
	}
	if pmtu != 0 && tr.PMTU != pmtu {
		t.Errorf("tracepath %s -> %s: pmtu %d, want %d:\n%s", src, dst, tr.PMTU, pmtu, tr.Output)
	}
}

// checkTransfer moves opt.TransferBytes over TCP from src to dst.
func checkTransfer(t *testing.T, ctx context.Context, src, dst *Host, opt ScenarioOptions) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, opt.TransferTimeout)
	defer cancel()
	n, d, err := TCPTransfer(tctx, src, dst, opt.TransferBytes)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("TCP %s -> %s: %d bytes in %v (%.1f Mbit/s), SHA-256 matches", src, dst, n, d.Round(time.Millisecond),
		float64(n)*8/d.Seconds()/1e6)
}

// isRouterAddr reports whether a is one of the router's addresses.
func isRouterAddr(cfg *tables.Config, a netip.Addr) bool {
	for _, ra := range cfg.Addrs {
		if ra.IP == a {
			return true
		}
	}
	return false
}
