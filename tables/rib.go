package tables

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
)

// RouteKind says where a route came from and where it sends traffic.
type RouteKind uint8

const (
	RouteConnected RouteKind = iota // the subnet of a router address: hosts on the port's link
	RouteVia                        // route add PREFIX via GW [dev portN]: to a gateway
	RouteOnLink                     // route add PREFIX dev portN: hosts on the port's link
	RouteBlackhole                  // route add blackhole PREFIX: dropped
)

// String returns the kind's name: connected, via, onlink or blackhole.
func (k RouteKind) String() string {
	switch k {
	case RouteConnected:
		return "connected"
	case RouteVia:
		return "via"
	case RouteOnLink:
		return "onlink"
	case RouteBlackhole:
		return "blackhole"
	}
	return fmt.Sprintf("routekind(%d)", uint8(k))
}

// Route is one route of the RIB.
type Route struct {
	Prefix  netip.Prefix // masked, e.g. 10.1.0.0/16; 0.0.0.0/0 for default
	Kind    RouteKind
	Gateway netip.Addr // RouteVia only
	Port    int        // egress port (for RouteVia found from the gateway when Dev is false); -1 for RouteBlackhole
	Dev     bool       // `dev portN` was written
	Line    int        // the route add line, or the addr add line of a connected route
}

// isDirect reports whether the route's hosts are on the port's link (the next hop is the
// destination itself).
func (r *Route) isDirect() bool { return r.Kind == RouteConnected || r.Kind == RouteOnLink }

// String formats the route in the configuration syntax.
func (r Route) String() string {
	switch r.Kind {
	case RouteConnected:
		return fmt.Sprintf("%s dev port%d (connected)", r.Prefix, r.Port)
	case RouteVia:
		return fmt.Sprintf("%s via %s dev port%d", r.Prefix, r.Gateway, r.Port)
	case RouteOnLink:
		return fmt.Sprintf("%s dev port%d", r.Prefix, r.Port)
	case RouteBlackhole:
		return fmt.Sprintf("blackhole %s", r.Prefix)
	}
	return fmt.Sprintf("%s %v", r.Prefix, r.Kind)
}

// RIB returns every route of the configuration, in file order: the connected subnet of each
// router address (one per distinct subnet and port; a /32 address has none, as in Linux) and
// the static routes.
func (c *Config) RIB() []Route {
	var rib []Route
	type key struct {
		p    netip.Prefix
		port int
	}
	seen := map[key]bool{}
	for _, a := range c.Addrs {
		k := key{a.Subnet, a.Port}
		if a.Subnet.Bits() == 32 || seen[k] {
			continue
		}
		seen[k] = true
		rib = append(rib, Route{Prefix: a.Subnet, Kind: RouteConnected, Port: a.Port, Line: a.Line})
	}
	rib = append(rib, c.Routes...)
	sort.SliceStable(rib, func(i, j int) bool { return rib[i].Line < rib[j].Line })
	return rib
}

// neighKey identifies a neighbor: the same IP may be a different host on another port.
type neighKey struct {
	ip   netip.Addr
	port int
}

// neighborIndex maps (IP, port) to the neighbor's MAC.
func (c *Config) neighborIndex() map[neighKey]net.HardwareAddr {
	m := make(map[neighKey]net.HardwareAddr, len(c.Neighbors))
	for _, n := range c.Neighbors {
		m[neighKey{n.IP, n.Port}] = n.MAC
	}
	return m
}

// adjKey identifies an adjacency row. Routes share a row when they share the next hop, so the
// control plane updates one row when a next hop's MAC is learnt.
type adjKey struct {
	kind uint8      // adjDirect, adjNextHop or adjBlackhole
	ip   netip.Addr // adjNextHop: the next hop's IP
	port int        // adjDirect, adjNextHop: the egress port
}

const (
	adjDirect    = iota // glean row of a port for its connected and on-link subnets
	adjNextHop          // one next hop (a gateway or a neighbor host): forward or glean
	adjBlackhole        // the shared blackhole row
)

// fibEntry is one LPM entry before sorting.
type fibEntry struct {
	prefix netip.Prefix
	line   int
	adj    adjKey
}

// fib is a RIB resolved to LPM entries and adjacency rows.
type fib struct {
	entries []fibEntry // sorted: longest prefix first, then value, then line
	rows    []adjKey   // row index = position, in allocation order
	rowOf   map[adjKey]int
}

// buildFIB resolves the RIB in the adjacency/host-route scheme: every route points to an
// adjacency row, and every neighbor whose address is best matched by a connected or on-link
// route of its own port gets a /32 host entry pointing to a forward row. A neighbor covered by a
// more specific route elsewhere gets no host entry (traffic to it follows that route, as in
// Linux).
//
// Rows are allocated in file order of the entries that use them (a connected subnet at its addr
// line, a neighbor host entry at its neigh line), each key once.
func (c *Config) buildFIB() (*fib, error) {
	rib := c.RIB()
	f := &fib{rowOf: map[adjKey]int{}}
	index := map[netip.Prefix]int{} // prefix -> entries index
	for _, r := range rib {
		var k adjKey
		switch r.Kind {
		case RouteConnected, RouteOnLink:
			k = adjKey{kind: adjDirect, port: r.Port}
		case RouteVia:
			k = adjKey{kind: adjNextHop, ip: r.Gateway, port: r.Port}
		case RouteBlackhole:
			k = adjKey{kind: adjBlackhole}
		default:
			return nil, c.errorf(r.Line, "route %s has unknown kind %v", r.Prefix, r.Kind)
		}
		if !r.Prefix.IsValid() || !r.Prefix.Addr().Is4() {
			return nil, c.errorf(r.Line, "route has no valid IPv4 prefix")
		}
		pf := r.Prefix.Masked()
		if l, dup := index[pf]; dup {
			return nil, c.errorf(r.Line, "a route for %s already exists (line %d)", pf, f.entries[l].line)
		}
		index[pf] = len(f.entries)
		f.entries = append(f.entries, fibEntry{prefix: pf, line: r.Line, adj: k})
	}
	for i := range c.Neighbors {
		n := &c.Neighbors[i]
		if err := c.checkNeighbor(n, rib); err != nil {
			return nil, err
		}
		best := bestRoute(rib, n.IP)
		if best == nil || !best.isDirect() || best.Port != n.Port {
			continue
		}
		k := adjKey{kind: adjNextHop, ip: n.IP, port: n.Port}
		host := netip.PrefixFrom(n.IP, 32)
		if j, ok := index[host]; ok {
			// An on-link /32 for exactly this neighbor: it becomes the host entry.
			f.entries[j].adj = k
			continue
		}
		index[host] = len(f.entries)
		f.entries = append(f.entries, fibEntry{prefix: host, line: n.Line, adj: k})
	}
	// Allocate rows in file order.
	byLine := make([]int, len(f.entries))
	for i := range byLine {
		byLine[i] = i
	}
	sort.SliceStable(byLine, func(a, b int) bool { return f.entries[byLine[a]].line < f.entries[byLine[b]].line })
	for _, i := range byLine {
		k := f.entries[i].adj
		if _, ok := f.rowOf[k]; !ok {
			f.rowOf[k] = len(f.rows)
			f.rows = append(f.rows, k)
		}
	}
	// The TCAM order: longest prefix first, then by value, then by line.
	sort.SliceStable(f.entries, func(a, b int) bool {
		x, y := f.entries[a], f.entries[b]
		if x.prefix.Bits() != y.prefix.Bits() {
			return x.prefix.Bits() > y.prefix.Bits()
		}
		if vx, vy := addrU32(x.prefix.Addr()), addrU32(y.prefix.Addr()); vx != vy {
			return vx < vy
		}
		return x.line < y.line
	})
	return f, nil
}

// bestRoute is the longest route of rib that contains a (a plain scan; nil if none).
func bestRoute(rib []Route, a netip.Addr) *Route {
	var best *Route
	for i := range rib {
		r := &rib[i]
		if r.Prefix.Contains(a) && (best == nil || r.Prefix.Bits() > best.Prefix.Bits()) {
			best = r
		}
	}
	return best
}
