// Package router is linerate's control plane: the slow path that answers what the data plane
// punts, and the daemon (`linerate router`) that runs it against a device.
//
// The slow path (Stack) is a pure, deterministic function of the configuration, the punted
// frames and the time it is told: no goroutines, clocks or I/O. It does what a Linux router does
// with the same frames, and the whole-router differential test (test/linuxdiff) holds it to
// that, byte for byte where Linux is deterministic:
//
//   - arp: answers requests for router addresses (any port's, as Linux with arp_ignore=0),
//     learns the sender of a request for us, and completes resolutions from replies;
//   - to_me: echo replies; port unreachable for UDP, TCP resets, protocol unreachable;
//   - ttl_expired: ICMP time exceeded; no_route: ICMP net unreachable;
//   - glean: resolves the next hop (ARP request, up to 3 tries a second apart), holds the
//     packets meanwhile, forwards them when the reply comes and installs the neighbour in the
//     data plane; when nobody answers, ICMP host unreachable for what it held;
//   - mtu_exceeded: ICMP fragmentation needed (DF set) or fragments (RFC 791, as Linux's
//     ip_fragment cuts them);
//   - ip_options: forwards in software, recording the route where a Record Route option asks;
//     source-routed packets are dropped (Linux's accept_source_route=0);
//   - learned neighbours age: after ReachableTime without a confirmation they are probed by
//     unicast ARP and removed from the data plane when the probes go unanswered.
//
// The packets the stack sends (Output) go out through the device's inject path, so they leave
// a port as the data plane's own frames do (padded to 60 bytes, FCS appended).
//
// Router (daemon.go) runs a Stack against a hostdrv.Device: it loads the tables, reads punts
// through per-reason rate limits into bounded queues (a flood costs the flooder, not ARP or the
// router's own addresses), injects the stack's outputs and rewrites the tables incrementally when
// the stack learns or forgets a neighbour.
package router
