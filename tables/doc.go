// Package tables turns a router configuration into the table images that the data plane (the
// Verilog in rtl/core and the golden model in cosim/model) loads, and holds the reference lookup
// of each table.
//
// The flow has three steps:
//
//  1. Parse (config.go). A configuration is a subset of the iproute2 batch syntax, so the same
//     file given to `ip -n NS -batch FILE` builds an identical Linux router whose interfaces are
//     port0..portN-1, and the Linux kernel becomes an independent oracle. ParseConfig accepts only
//     what Linux would accept at that point of the file (a gateway must lie in a connected or
//     on-link subnet of an up port added earlier, prefixes must not have host bits, no duplicate routes) and is
//     stricter where Linux's behaviour would be surprising. Every error starts with "FILE:LINE: ".
//
//  2. RIB (rib.go). The routing information base is every route of the configuration: the
//     connected subnet of each router address plus the static routes (via a gateway, on-link,
//     blackhole). Neighbors (static ARP entries) give next hops their MAC addresses.
//
//  3. Compile (compile.go). The RIB becomes a FIB in the classic adjacency/host-route scheme:
//     each route points to an adjacency row (a next hop: forward with a destination MAC, glean
//     when the MAC is not known yet, or blackhole), and each neighbor whose address is best
//     matched by a connected or on-link route of its own port gets a /32 host entry that points
//     to a forward row. The entries are sorted longest
//     prefix first into a TCAM image, where the lowest matching index wins.
//
//  4. Plan (plan.go, tcam.go). A device that already holds tables gets a new configuration as a
//     short list of single-entry writes, each atomic in hardware, ordered so that traffic never
//     sees a state that is neither the old forwarding nor the new one (make before break): new
//     adjacency rows, then added routes (longest prefix first), then changed next hops, then
//     removed routes (shortest first). Unchanged routes cost nothing. The TCAM keeps its entries
//     in prefix-length order with free slots anywhere; TCAM finds a slot for a new prefix and the
//     few entries to move (at most one per length group in between), and Plan shares the free
//     slots among the lengths in proportion to their routes. Equivalent compares two images by
//     what they forward, whatever their layout (linerate fib diff).
//
// The reference lookups (lookup.go) define what the tables mean: Image.LookupLPM scans the TCAM
// exactly as the hardware does, and Config.ResolveRoute is an independent longest-prefix match
// over the RIB (a binary trie, resolved the way Linux resolves it), used to check that the
// compiled image forwards every destination exactly as the configuration says.
package tables
