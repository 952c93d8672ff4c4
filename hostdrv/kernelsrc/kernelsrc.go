// Package kernelsrc mirrors the IPv4 routes and neighbours of a Linux network namespace as
// linerate table inputs (tables.Route and tables.Neighbor), so that a namespace configured with
// iproute2 (or a routing daemon) can drive the router's tables.
//
// Watch follows the kernel through rtnetlink events, without polling: it dumps the links, the
// IPv4 routes of the main table and the IPv4 neighbours once, then keeps that state up to date
// from RTM_NEW*/RTM_DEL* notifications and sends a Snapshot after each burst of changes.
//
// Only interfaces named port<N> (N a decimal number without leading zeros, 0..254) are the
// router's ports. What is mirrored:
//
//   - Routes of the main table, family AF_INET, TOS 0. Per prefix only the route Linux uses
//     (the lowest metric) is considered. A unicast route with a gateway and an output port is a
//     tables.RouteVia (Dev true); a unicast route without a gateway is a tables.RouteOnLink
//     unless its protocol is "kernel" (connected routes, which the router derives from its own
//     addresses); a blackhole route is a tables.RouteBlackhole (Port -1). Multipath routes,
//     routes through nexthop objects or with an RTA_VIA gateway, routes on other interfaces and
//     routes of other types (unreachable, prohibit, throw, ...) are left out and listed in
//     Snapshot.Skipped; so is a prefix whose preferred route is one of these.
//   - Neighbours of family AF_INET on a port with a 6-byte link-layer address whose state is
//     PERMANENT ("permanent"), NOARP ("noarp"), REACHABLE ("reachable") or STALE, DELAY or PROBE
//     ("stale"). INCOMPLETE, FAILED and NONE entries, and proxy entries, are left out.
//
// Line is 0 in everything Watch produces.
package kernelsrc

import (
	"time"

	"github.com/linerate/linerate/tables"
)

// DefaultDebounce is the debounce interval used when Options.Debounce is not positive.
const DefaultDebounce = 20 * time.Millisecond

// Snapshot is the kernel's IPv4 state on the router's ports: interfaces named port0..portN-1.
type Snapshot struct {
	Routes    []tables.Route    // sorted by prefix then gateway
	Neighbors []tables.Neighbor // sorted by IP
	// Skipped says, one line each in prefix order, which routes of the main table could not
	// be mirrored and why (e.g. "10.1.0.0/16: multipath route"). Connected (proto kernel)
	// routes are not listed.
	Skipped []string
}

// Options tune Watch.
type Options struct {
	Namespace string        // named network namespace ("" = the caller's)
	Debounce  time.Duration // changes closer than this are one snapshot (default 20ms)
}
