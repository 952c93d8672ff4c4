package tables

import (
	"net"
	"net/netip"
)

// LookupLPM is the TCAM lookup of the data plane: the lowest valid index whose entry matches key
// ((key^Value)&Mask == 0), by a plain linear scan. ok is false on a miss.
func (im *Image) LookupLPM(key uint32) (index int, ok bool) {
	for i := range im.LPM {
		if e := &im.LPM[i]; e.Valid && (key^e.Value)&e.Mask == 0 {
			return i, true
		}
	}
	return 0, false
}

// IsRouterAddr reports whether a is a valid router address (the "to_me" lookup).
func (im *Image) IsRouterAddr(a uint32) bool {
	for _, r := range im.RAddr {
		if r.Valid && r.Addr == a {
			return true
		}
	}
	return false
}

// Resolution is the forwarding decision for one destination as Linux makes it from the same
// configuration: the longest matching route, then the next hop's neighbor entry.
type Resolution struct {
	Route   Route            // the longest-prefix route of the RIB (connected subnets included)
	Kind    AdjKind          // AdjForward (MAC known), AdjGlean (MAC unknown) or AdjBlackhole
	Port    int              // egress port; -1 for a blackhole
	NextHop netip.Addr       // the gateway, or the destination itself on a connected or on-link route; invalid for a blackhole
	DstMAC  net.HardwareAddr // the next hop's MAC when Kind is AdjForward
}

// Resolver is an independent reference for the compiled LPM and adjacency tables: a binary trie
// over the RIB routes and the neighbor entries. It shares no code with the compiler's sort.
type Resolver struct {
	nodes  []trieNode
	routes []Route
	neigh  map[neighKey]net.HardwareAddr
}

// trieNode is one node of a binary trie: child[b] follows bit b; route is an index into
// Resolver.routes or -1.
type trieNode struct {
	child [2]int32
	route int32
}

// NewResolver builds the reference resolver of the configuration as it is now.
func (c *Config) NewResolver() *Resolver {
	r := &Resolver{nodes: []trieNode{{child: [2]int32{-1, -1}, route: -1}}, neigh: c.neighborIndex()}
	for _, rt := range c.RIB() {
		if !rt.Prefix.IsValid() || !rt.Prefix.Addr().Is4() {
			continue
		}
		v, n := addrU32(rt.Prefix.Addr()), int32(0)
		for b := 0; b < rt.Prefix.Bits(); b++ {
			bit := v >> (31 - b) & 1
			if r.nodes[n].child[bit] < 0 {
				r.nodes[n].child[bit] = int32(len(r.nodes))
				r.nodes = append(r.nodes, trieNode{child: [2]int32{-1, -1}, route: -1})
			}
			n = r.nodes[n].child[bit]
		}
		if r.nodes[n].route < 0 { // the first route of a prefix wins (there are no duplicates after ParseConfig)
			r.nodes[n].route = int32(len(r.routes))
			r.routes = append(r.routes, rt)
		}
	}
	return r
}

// Resolve returns the decision for destination dst (host order); ok is false when no route
// matches.
func (r *Resolver) Resolve(dst uint32) (res Resolution, ok bool) {
	best, n := int32(-1), int32(0)
	for b := 0; ; b++ {
		if r.nodes[n].route >= 0 {
			best = r.nodes[n].route
		}
		if b == 32 {
			break
		}
		if n = r.nodes[n].child[dst>>(31-b)&1]; n < 0 {
			break
		}
	}
	if best < 0 {
		return Resolution{}, false
	}
	rt := r.routes[best]
	res = Resolution{Route: rt, Port: rt.Port}
	switch rt.Kind {
	case RouteBlackhole:
		res.Kind, res.Port = AdjBlackhole, -1
		return res, true
	case RouteVia:
		res.NextHop = rt.Gateway
	default:
		res.NextHop = addrFromU32(dst)
	}
	res.Kind = AdjGlean
	if mac, ok := r.neigh[neighKey{res.NextHop, rt.Port}]; ok {
		res.Kind, res.DstMAC = AdjForward, mac
	}
	return res, true
}

// ResolveRoute is the reference decision for destination dst (host order): a true longest-prefix
// match over the RIB, then the neighbor of the next hop, as Linux forwards. It builds a
// Resolver on every call; use NewResolver for many lookups.
func (c *Config) ResolveRoute(dst uint32) (Resolution, bool) {
	return c.NewResolver().Resolve(dst)
}
