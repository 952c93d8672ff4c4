package tables

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

// configKeys are destinations worth looking up for a configuration: the first, second and last
// address of every route, every gateway and neighbor, and their neighbors on both sides.
func configKeys(c *Config) []uint32 {
	var keys []uint32
	add := func(v uint32) { keys = append(keys, v-1, v, v+1) }
	for _, r := range c.RIB() {
		add(addrU32(r.Prefix.Addr()))
		add(addrU32(lastAddr(r.Prefix)))
		if r.Kind == RouteVia {
			add(addrU32(r.Gateway))
		}
	}
	for _, n := range c.Neighbors {
		add(addrU32(n.IP))
	}
	for _, a := range c.Addrs {
		add(addrU32(a.IP))
	}
	return keys
}

// checkAgainstResolver checks, for each key, that the compiled TCAM image and the trie over the
// RIB (resolved the way Linux resolves) make the same decision: hit or miss, adjacency kind,
// egress port and destination MAC; and that the matched entry is the RIB's route, or a neighbor
// host entry for exactly that key on a directly connected route.
func checkAgainstResolver(t *testing.T, im *Image, c *Config, keys []uint32) {
	t.Helper()
	rs := c.NewResolver()
	fails := 0
	for _, key := range keys {
		i, hit := im.LookupLPM(key)
		res, ok := rs.Resolve(key)
		if err := compareDecision(im, i, hit, res, ok, key); err != nil {
			t.Errorf("%v", err)
			if fails++; fails > 10 {
				t.Fatal("too many differences")
			}
		}
	}
}

func compareDecision(im *Image, i int, hit bool, res Resolution, ok bool, key uint32) error {
	dst := addrFromU32(key)
	if hit != ok {
		return fmt.Errorf("%s: image hit=%v, RIB ok=%v (%v)", dst, hit, ok, res.Route)
	}
	if !hit {
		return nil
	}
	e := im.LPM[i]
	a := im.Adj[e.Adj]
	if a.Kind != res.Kind || (a.Kind != AdjBlackhole && int(a.Port) != res.Port) ||
		(a.Kind == AdjForward && !bytes.Equal(a.DstMAC, res.DstMAC)) {
		return fmt.Errorf("%s: image lpm[%d] %s -> adj[%d] %v port%d %s %s; RIB %v -> %v port%d %s %s",
			dst, i, e.Prefix, e.Adj, a.Kind, a.Port, a.NextHop, a.DstMAC, res.Route, res.Kind, res.Port, res.NextHop, res.DstMAC)
	}
	if e.Prefix != res.Route.Prefix.String() {
		host := e.Prefix == dst.String()+"/32" && res.Route.isDirect() && a.Kind == AdjForward && res.NextHop == dst
		if !host {
			return fmt.Errorf("%s: image matched %s, RIB matched %v", dst, e.Prefix, res.Route)
		}
	}
	if a.Kind != AdjBlackhole && a.NextHop != NextHopDirect && a.NextHop != res.NextHop.String() {
		return fmt.Errorf("%s: image next hop %s, RIB %s", dst, a.NextHop, res.NextHop)
	}
	return nil
}

func TestLookupLPM(t *testing.T) {
	im := NewImage(Sizes{Ports: 1, LPM: 6, Adj: 1, RAddr: 2})
	// Deliberately not in prefix order: the TCAM takes the lowest matching index, whatever the length.
	im.LPM[1] = LPMEntry{Valid: true, Value: 0x0A000000, Mask: 0xFF000000}
	im.LPM[2] = LPMEntry{Valid: true, Value: 0x0A010000, Mask: 0xFFFF0000}
	im.LPM[3] = LPMEntry{Valid: false, Value: 0x0B000000, Mask: 0xFF000000}
	im.LPM[4] = LPMEntry{Valid: true, Value: 0, Mask: 0}
	tests := []struct {
		key  uint32
		want int
		ok   bool
	}{
		{0x0A010203, 1, true}, {0x0AFFFFFF, 1, true}, {0x0B000001, 4, true}, {0xC0000201, 4, true},
	}
	for _, tc := range tests {
		if i, ok := im.LookupLPM(tc.key); i != tc.want || ok != tc.ok {
			t.Errorf("LookupLPM(%08x) = %d, %v; want %d, %v", tc.key, i, ok, tc.want, tc.ok)
		}
	}
	im.LPM[4].Valid = false
	if i, ok := im.LookupLPM(0x0B000001); ok || i != 0 {
		t.Errorf("miss: %d, %v", i, ok)
	}
	im.RAddr[1] = RAddrEntry{Valid: true, Addr: 0xC0000201}
	im.RAddr[0] = RAddrEntry{Valid: false, Addr: 0xC0000202}
	if !im.IsRouterAddr(0xC0000201) || im.IsRouterAddr(0xC0000202) || im.IsRouterAddr(0) {
		t.Error("IsRouterAddr")
	}
}

func TestResolveRoute(t *testing.T) {
	c := mustParse(t, prelude+`route add 10.0.0.0/8 via 192.0.2.2
route add 10.1.0.0/16 via 198.51.100.9
route add blackhole 10.1.2.0/24
route add 10.1.2.3/32 dev port1
neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0
neigh add 198.51.100.50 lladdr 02:00:00:00:01:32 dev port1
`)
	tests := []struct {
		dst  string
		want string // "kind portN nexthop mac route", or "miss"
	}{
		{"10.9.9.9", "forward 0 192.0.2.2 02:00:00:00:01:02 10.0.0.0/8 via 192.0.2.2 dev port0"},
		{"10.1.9.9", "glean 1 198.51.100.9  10.1.0.0/16 via 198.51.100.9 dev port1"},
		{"10.1.2.9", "blackhole -1 invalid IP  blackhole 10.1.2.0/24"},
		{"10.1.2.3", "glean 1 10.1.2.3  10.1.2.3/32 dev port1"},
		{"198.51.100.50", "forward 1 198.51.100.50 02:00:00:00:01:32 198.51.100.0/24 dev port1 (connected)"},
		{"198.51.100.51", "glean 1 198.51.100.51  198.51.100.0/24 dev port1 (connected)"},
		{"192.0.2.1", "glean 0 192.0.2.1  192.0.2.0/24 dev port0 (connected)"},
		{"11.0.0.1", "miss"},
	}
	for _, tc := range tests {
		r, ok := c.ResolveRoute(addrU32(ip(tc.dst)))
		got := "miss"
		if ok {
			got = fmt.Sprintf("%v %d %v %s %v", r.Kind, r.Port, r.NextHop, r.DstMAC, r.Route)
		}
		if got != tc.want {
			t.Errorf("ResolveRoute(%s) = %q, want %q", tc.dst, got, tc.want)
		}
	}
}

// randomConfig writes a configuration with nRoutes random nested prefixes: 4 ports with a /24
// each, gateways in those subnets (most with a neighbor), neighbor hosts, and routes that extend
// earlier prefixes (so they nest deeply) or start anywhere.
func randomConfig(rng *rand.Rand, nRoutes int) string {
	var b strings.Builder
	used := map[netip.Prefix]bool{}
	var gws, hosts []string
	for p := 0; p < 4; p++ {
		fmt.Fprintf(&b, "link set dev port%d address 02:00:00:00:00:1%d mtu %d up\n", p, p, 1400+p*100)
		fmt.Fprintf(&b, "addr add 10.0.%d.1/24 dev port%d\n", p, p)
		used[pfx(fmt.Sprintf("10.0.%d.0/24", p))] = true
	}
	hostSeen := map[string]bool{}
	for len(gws)+len(hosts) < 80 {
		p, h := rng.IntN(4), 2+rng.IntN(252)
		a := fmt.Sprintf("10.0.%d.%d", p, h)
		if hostSeen[a] {
			continue
		}
		hostSeen[a] = true
		mac := fmt.Sprintf("02:00:00:00:%02x:%02x", p, h)
		if len(gws) < 40 {
			gws = append(gws, a)
			if rng.IntN(4) != 0 {
				fmt.Fprintf(&b, "neigh add %s lladdr %s dev port%d\n", a, mac, p)
			}
		} else {
			hosts = append(hosts, a)
			fmt.Fprintf(&b, "neigh add %s lladdr %s dev port%d\n", a, mac, p)
		}
	}
	roots := []netip.Prefix{pfx("10.0.0.0/8"), pfx("172.16.0.0/12"), pfx("192.168.0.0/16"), pfx("10.0.0.0/16")}
	var prefixes []netip.Prefix
	for len(prefixes) < nRoutes {
		var base netip.Prefix
		switch r := rng.IntN(10); {
		case r < 6 && len(prefixes) > 0:
			base = prefixes[rng.IntN(len(prefixes))]
		case r < 9:
			base = roots[rng.IntN(len(roots))]
		default:
			base = netip.PrefixFrom(addrFromU32(rng.Uint32()), 0)
		}
		bits := base.Bits() + rng.IntN(33-base.Bits())
		v := addrU32(base.Addr()) | rng.Uint32()&^prefixMask(base.Bits())
		p := netip.PrefixFrom(addrFromU32(v), bits).Masked()
		if used[p] {
			continue
		}
		used[p] = true
		prefixes = append(prefixes, p)
		switch r := rng.IntN(20); {
		case r < 2:
			fmt.Fprintf(&b, "route add blackhole %s\n", p)
		case r < 4:
			fmt.Fprintf(&b, "route add %s dev port%d\n", p, rng.IntN(4))
		case r < 6:
			g := gws[rng.IntN(len(gws))]
			fmt.Fprintf(&b, "route add %s via %s dev port%c\n", p, g, g[5])
		default:
			fmt.Fprintf(&b, "route add %s via %s\n", p, gws[rng.IntN(len(gws))])
		}
	}
	return b.String()
}

// TestLookupMatchesRIB is the property test: for random nested route sets, the TCAM image
// decides every destination exactly as a true longest-prefix match over the RIB does.
func TestLookupMatchesRIB(t *testing.T) {
	s := Sizes{Ports: 4, LPM: 4096, Adj: 256, RAddr: 16}
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 0x11e7a7e))
			text := randomConfig(rng, 2000)
			c, err := ParseConfig("random.conf", strings.NewReader(text), s)
			if err != nil {
				t.Fatal(err)
			}
			im, err := Compile(c, s)
			if err != nil {
				t.Fatal(err)
			}
			checkImageShape(t, im, s)
			keys := configKeys(c)
			for i := 0; i < 5000; i++ {
				keys = append(keys, rng.Uint32())
				// A random address inside a random route, often deep in a nest.
				r := c.Routes[rng.IntN(len(c.Routes))].Prefix
				keys = append(keys, addrU32(r.Addr())|rng.Uint32()&^prefixMask(r.Bits()))
			}
			checkAgainstResolver(t, im, c, keys)
		})
	}
}
