//go:build linux

package e2e

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/linerate/linerate/tables"
)

// Outputs of iputils 20221126 (Debian 12, LC_ALL=C), recorded through a Linux router at
// 192.0.2.1 with a 1280-byte MTU towards 203.0.113.0/24. Trailing spaces are tracepath's.
const (
	pingOK = `PING 203.0.113.2 (203.0.113.2) 56(84) bytes of data.
64 bytes from 203.0.113.2: icmp_seq=1 ttl=63 time=0.213 ms
64 bytes from 203.0.113.2: icmp_seq=2 ttl=63 time=0.063 ms
64 bytes from 203.0.113.2: icmp_seq=3 ttl=63 time=0.065 ms

--- 203.0.113.2 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 407ms
rtt min/avg/max/mdev = 0.063/0.113/0.213/0.070 ms
`
	// The router's error on stdout, then the kernel's refusals (from the learned path MTU) on
	// stderr, which the combined output interleaves.
	pingFragNeeded = `PING 203.0.113.2 (203.0.113.2) 1400(1428) bytes of data.
From 192.0.2.1 icmp_seq=1 Frag needed and DF set (mtu = 1280)
ping: local error: message too long, mtu=1280
ping: local error: message too long, mtu=1280

--- 203.0.113.2 ping statistics ---
3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 406ms

`
	// A second run: the path MTU is already known, the router never sees the packets.
	pingLocalOnly = `PING 203.0.113.2 (203.0.113.2) 1400(1428) bytes of data.
ping: local error: message too long, mtu=1280
ping: local error: message too long, mtu=1280
ping: local error: message too long, mtu=1280

--- 203.0.113.2 ping statistics ---
3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 407ms

`
	pingSilent = `PING 192.0.2.99 (192.0.2.99) 56(84) bytes of data.

--- 192.0.2.99 ping statistics ---
2 packets transmitted, 0 received, 100% packet loss, time 204ms

`
	pingNetUnreachable = `PING 198.51.100.7 (198.51.100.7) 56(84) bytes of data.
From 192.0.2.1 icmp_seq=1 Destination Net Unreachable

--- 198.51.100.7 ping statistics ---
2 packets transmitted, 0 received, +1 errors, 100% packet loss, time 201ms

`
	// The probe of TTL 2 meets the 1280 MTU: the router's frag-needed is printed as a line of
	// TTL 2 naming the router, then TTL 2 is probed again. The first hop is printed twice.
	tracepathPMTU = ` 1?: [LOCALHOST]                      pmtu 1500
 1:  192.0.2.1                                             0.042ms 
 1:  192.0.2.1                                             0.012ms 
 2:  192.0.2.1                                             0.012ms pmtu 1280
 2:  203.0.113.2                                           0.018ms reached
     Resume: pmtu 1280 hops 2 back 2 
`
	// Towards a blackhole route of the router (-m 3).
	tracepathNoReply = ` 1?: [LOCALHOST]                      pmtu 1500
 1:  no reply
 2:  no reply
 3:  no reply
     Too many hops: pmtu 1500
     Resume: pmtu 1500 
`
	// Towards an address the router has no route for.
	tracepathNetUnreachable = ` 1?: [LOCALHOST]                      pmtu 1500
 1:  192.0.2.1                                             0.054ms !N
 1:  192.0.2.1                                             0.015ms !N
     Resume: pmtu 1500 
`
	// Beyond the router, with -m 1.
	tracepathTooManyHops = ` 1?: [LOCALHOST]                      pmtu 1500
 1:  192.0.2.1                                             0.051ms 
 1:  192.0.2.1                                             0.079ms 
     Too many hops: pmtu 1500
     Resume: pmtu 1500 
`
)

func TestParsePing(t *testing.T) {
	for _, c := range []struct {
		name                   string
		out                    string
		tx, rx, errs           int
		fragMTU, localMTU, mtu int
		from                   string
	}{
		{name: "ok", out: pingOK, tx: 3, rx: 3},
		{name: "frag needed", out: pingFragNeeded, tx: 3, errs: 3, fragMTU: 1280, localMTU: 1280, mtu: 1280, from: "192.0.2.1"},
		{name: "local only", out: pingLocalOnly, tx: 3, errs: 3, localMTU: 1280, mtu: 1280},
		{name: "silent", out: pingSilent, tx: 2},
		{name: "net unreachable", out: pingNetUnreachable, tx: 2, errs: 1},
	} {
		r, err := parsePing(c.out)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var from netip.Addr
		if c.from != "" {
			from = netip.MustParseAddr(c.from)
		}
		if r.Transmitted != c.tx || r.Received != c.rx || r.Errors != c.errs || r.FragNeededMTU != c.fragMTU ||
			r.LocalMTU != c.localMTU || r.MTU() != c.mtu || r.FragNeededFrom != from {
			t.Errorf("%s: got %+v", c.name, r)
		}
	}
	if _, err := parsePing("ping: connect: Network is unreachable\n"); err == nil {
		t.Error("no statistics line: no error")
	}
}

func TestParseTracepath(t *testing.T) {
	a := netip.MustParseAddr
	for _, c := range []struct {
		name    string
		out     string
		hops    []netip.Addr
		reached bool
		pmtu    int
		unreach string
	}{
		{name: "pmtu", out: tracepathPMTU, hops: []netip.Addr{a("192.0.2.1"), a("203.0.113.2")}, reached: true, pmtu: 1280},
		{name: "no reply", out: tracepathNoReply, hops: []netip.Addr{{}, {}, {}}, pmtu: 1500},
		{name: "net unreachable", out: tracepathNetUnreachable, hops: []netip.Addr{a("192.0.2.1")}, pmtu: 1500, unreach: "!N"},
		{name: "too many hops", out: tracepathTooManyHops, hops: []netip.Addr{a("192.0.2.1")}, pmtu: 1500},
	} {
		tr, err := parseTracepath(c.out)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(tr.Hops, c.hops) || tr.Reached != c.reached || tr.PMTU != c.pmtu || tr.Unreachable != c.unreach {
			t.Errorf("%s: hops %v reached %v pmtu %d unreachable %q, want %v %v %d %q", c.name, tr.Hops, tr.Reached,
				tr.PMTU, tr.Unreachable, c.hops, c.reached, c.pmtu, c.unreach)
		}
	}
	if _, err := parseTracepath("tracepath: 203.0.113.2: Name or service not known\n"); err == nil {
		t.Error("no hop lines: no error")
	}
}

// TestPlanHosts: a host takes the first address of its port's subnet that is no router address
// and no configured neighbor, and every port with a router address needs a link.
func TestPlanHosts(t *testing.T) {
	cfg, err := tables.LoadConfig("../configs/demo.conf", tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	links := map[int]string{0: "a", 1: "b", 2: "c", 3: "d"}
	hosts, err := planHosts(cfg, links, 1500)
	if err != nil {
		t.Fatal(err)
	}
	// port0: .1 router, .2 and .3 neighbors; port3: .2 and .3 neighbors.
	want := []string{"192.0.2.4", "198.51.100.3", "203.0.113.3", "10.0.0.4"}
	for i, h := range hosts {
		if h.Port != i || h.Addr.String() != want[i] || h.IfName != links[i] || h.Gateway != cfg.Addrs[i].IP ||
			h.MAC.String() != HostMAC(i).String() {
			t.Errorf("host %d: %+v, want %s", i, h, want[i])
		}
	}
	delete(links, 3)
	if _, err := planHosts(cfg, links, 1500); err == nil {
		t.Error("port3 without a link: no error")
	}
	e2e, err := tables.LoadConfig("testdata/e2e.conf", tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := planHosts(e2e, map[int]string{0: "a", 1: "b", 2: "c", 3: "d"}, 1500); err == nil {
		t.Error("link for port3, which has no router address: no error")
	}
}

func TestFreeHostAddr(t *testing.T) {
	p := netip.MustParsePrefix
	a := netip.MustParseAddr
	taken := map[netip.Addr]bool{a("192.0.2.1"): true, a("192.0.2.2"): true, a("10.0.0.0"): true}
	for _, c := range []struct {
		subnet string
		want   string // "" for none
	}{
		{"192.0.2.0/24", "192.0.2.3"},
		{"192.0.2.0/30", ""}, // .1 and .2 taken, .3 is the broadcast address
		{"10.0.0.0/31", "10.0.0.1"},
		{"10.0.0.0/32", ""},
	} {
		got, ok := freeHostAddr(p(c.subnet), taken)
		if (c.want == "") == ok || (ok && got != a(c.want)) {
			t.Errorf("%s: %v %v, want %q", c.subnet, got, ok, c.want)
		}
	}
}
