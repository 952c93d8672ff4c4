package traffic

import (
	"math/bits"
	"math/rand/v2"

	"github.com/linerate/linerate/tables"
)

// route is one valid LPM entry with its adjacency row.
type route struct {
	idx         int // LPM index
	value, mask uint32
	adj         int
	kind        tables.AdjKind
	port        int // egress port of the adjacency
	mtu         int // adjacency MTU
	okAdj       bool
}

// view is what the generators know of an image: the valid routes in lookup order, the router
// addresses and, per adjacency kind, the routes that some transit address actually reaches
// (a route whose whole prefix is covered by more specific routes is never chosen).
type view struct {
	im         *tables.Image
	nPorts     int
	routes     []route // valid entries, lowest index first: the first match wins
	raddrs     []uint32
	raddrSet   map[uint32]bool
	reach      map[tables.AdjKind][]int // indexes into routes
	hasDefault bool                     // some valid entry matches every address
	missFound  bool                     // some transit address misses every entry
	srcRoutes  [][]int                  // per port: reachable routes (forward or glean) out of it
}

func newView(im *tables.Image, rng *rand.Rand) *view {
	v := &view{im: im, nPorts: len(im.Ports), raddrSet: map[uint32]bool{}, reach: map[tables.AdjKind][]int{}}
	for _, r := range im.RAddr {
		if r.Valid && !v.raddrSet[r.Addr] {
			v.raddrs = append(v.raddrs, r.Addr)
			v.raddrSet[r.Addr] = true
		}
	}
	for i, e := range im.LPM {
		if !e.Valid {
			continue
		}
		r := route{idx: i, value: e.Value & e.Mask, mask: e.Mask, adj: int(e.Adj)}
		if r.adj < len(im.Adj) {
			a := im.Adj[r.adj]
			r.kind, r.port, r.mtu, r.okAdj = a.Kind, int(a.Port), int(a.MTU), true
		}
		if e.Mask == 0 {
			v.hasDefault = true
		}
		v.routes = append(v.routes, r)
	}
	v.srcRoutes = make([][]int, v.nPorts)
	for i, r := range v.routes {
		if !r.okAdj {
			continue
		}
		for k := 0; k < 16; k++ {
			a, ok := v.addrIn(rng, r)
			if !ok {
				continue
			}
			if w := v.lookup(a); w == i {
				v.reach[r.kind] = append(v.reach[r.kind], i)
				if (r.kind == tables.AdjForward || r.kind == tables.AdjGlean) && r.port < v.nPorts && r.mask != 0 {
					v.srcRoutes[r.port] = append(v.srcRoutes[r.port], i)
				}
				break
			}
		}
	}
	if !v.hasDefault {
		for k := 0; k < 256 && !v.missFound; k++ {
			_, v.missFound = v.missAddr(rng)
		}
	}
	return v
}

// lookup returns the index (into v.routes) of the route that wins for a, or -1.
func (v *view) lookup(a uint32) int {
	for i, r := range v.routes {
		if (a^r.value)&r.mask == 0 {
			return i
		}
	}
	return -1
}

// transit reports whether a can be the destination of a transit packet: not a router address,
// not martian, not multicast or broadcast.
func (v *view) transit(a uint32) bool {
	switch a >> 24 {
	case 0, 127:
		return false
	}
	return a>>28 < 14 && !v.raddrSet[a]
}

// addrIn returns a random transit address inside r's prefix, avoiding the all-zeros and
// all-ones host parts of prefixes up to /30 (network and directed-broadcast addresses, which a
// Linux router treats specially).
func (v *view) addrIn(rng *rand.Rand, r route) (uint32, bool) {
	host := ^r.mask
	for k := 0; k < 8; k++ {
		a := r.value | rng.Uint32()&host
		if bits.OnesCount32(host) >= 2 && (a&host == 0 || a&host == host) {
			continue
		}
		if v.transit(a) {
			return a, true
		}
	}
	return 0, false
}

// dstVia returns a transit destination whose winning route is one of the routes listed (by
// index into v.routes) and satisfies ok (nil: any).
func (v *view) dstVia(rng *rand.Rand, list []int, ok func(route) bool) (uint32, route, bool) {
	var cand []int
	for _, i := range list {
		if ok == nil || ok(v.routes[i]) {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return 0, route{}, false
	}
	for k := 0; k < 16; k++ {
		i := cand[rng.IntN(len(cand))]
		a, good := v.addrIn(rng, v.routes[i])
		if good && v.lookup(a) == i {
			return a, v.routes[i], true
		}
	}
	return 0, route{}, false
}

// missAddr returns a random unicast transit address that no route matches.
func (v *view) missAddr(rng *rand.Rand) (uint32, bool) {
	if v.hasDefault {
		return 0, false
	}
	for k := 0; k < 16; k++ {
		a := rng.Uint32()
		if v.transit(a) && v.lookup(a) < 0 && a&0xff != 0 && a&0xff != 0xff {
			return a, true
		}
	}
	return 0, false
}

// anyTransit returns a transit destination: usually one with a forward route, otherwise any
// reachable route's, otherwise a random transit address.
func (v *view) anyTransit(rng *rand.Rand) uint32 {
	if a, _, ok := v.dstVia(rng, v.reach[tables.AdjForward], nil); ok && rng.IntN(4) != 0 {
		return a
	}
	var all []int
	for _, k := range []tables.AdjKind{tables.AdjForward, tables.AdjGlean, tables.AdjBlackhole} {
		all = append(all, v.reach[k]...)
	}
	if a, _, ok := v.dstVia(rng, all, nil); ok {
		return a
	}
	for {
		a := rng.Uint32()
		if v.transit(a) && a&0xff != 0 && a&0xff != 0xff {
			return a
		}
	}
}

// srcFor returns a source address for a host behind port p: an address whose route leads back
// out of p when there is one (so reverse-path checks pass), else one of 198.19.p.0/24.
func (v *view) srcFor(rng *rand.Rand, p int, not uint32) uint32 {
	if p >= 0 && p < len(v.srcRoutes) {
		back := func(r route) bool { return r.port == p }
		for k := 0; k < 4; k++ {
			a, _, ok := v.dstVia(rng, v.srcRoutes[p], back)
			if ok && a != not {
				return a
			}
		}
	}
	return ip4(198, 19, byte(p), byte(2+rng.IntN(250)))
}

func (v *view) portMAC(p int) mac           { return macFrom(v.im.Ports[p].MAC) }
func (v *view) portMTU(p int) int           { return int(v.im.Ports[p].MTU) }
func (v *view) hasRAddr() bool              { return len(v.raddrs) > 0 }
func (v *view) routeN(k tables.AdjKind) int { return len(v.reach[k]) }
