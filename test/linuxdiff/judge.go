//go:build linux

package linuxdiff

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/hostdrv/punt"
)

// Fit says why a linerate reason fits what the Linux router did with a frame, and which of the
// kernel's outcomes (KernelOutcome.Class) go with it.
type Fit struct {
	Why    string
	Kernel []string // the outcomes that fit; nil: any
	Never  []string // outcomes that do not fit even so
}

// fits reports whether the kernel's outcome class goes with f. Where silence fits, an
// explained silence fits too.
func (f Fit) fits(class string) bool {
	in := func(l []string) bool {
		return slices.Contains(l, class) || (class == kRateLimited || class == kNoWayBack) && slices.Contains(l, kNothing)
	}
	return (f.Kernel == nil || in(f.Kernel)) && !in(f.Never)
}

// want lists what fits, for messages.
func (f Fit) want() string {
	s := "any outcome"
	if f.Kernel != nil {
		s = "one of " + strings.Join(f.Kernel, ", ")
	}
	if f.Never != nil {
		s += " but " + strings.Join(f.Never, ", ")
	}
	return s
}

// Kernel outcome classes (KernelOutcome.Class) used in the tables.
const (
	kNothing     = "nothing"
	kARPRequest  = "arp request"
	kARPReply    = "arp reply"
	kLocalReply  = "local reply"
	kTimeExc     = "icmp time-exceeded"
	kNetUnreach  = "icmp net-unreachable"
	kHostUnreach = "icmp host-unreachable"
	kPortUnreach = "icmp port-unreachable"
	kProtUnreach = "icmp protocol-unreachable"
	kFragNeeded  = "icmp frag-needed"
	kParamProb   = "icmp parameter-problem"
	kForwarded   = "forwarded"
	kFragmented  = "fragmented"
	kRateLimited = "nothing (rate-limited)"
	kNoWayBack   = "nothing (no route back)"
)

// NotForwarded is the one table of what fits when the Linux router did not forward a frame:
// linerate must punt or drop it with one of these reasons, and the kernel's outcome must be one
// of those listed with the reason. "arp request" is listed wherever the kernel must first
// resolve the MAC of the sender (or of the next hop towards it) to send its answer: nobody
// answers in the lab, so the answer itself never leaves. The lab switches ICMP rate limits off
// (icmp_ratelimit and icmp_ratemask 0), all but one: ip_error, which answers "no route",
// allows each source a burst of 5 errors and then 1 per second (net.ipv4.route.error_burst and
// error_cost exist only in the host's namespace). So "nothing" fits no route only once the
// source has spent its burst (KernelOutcome.RateLimited, set by the test). And no answer can
// leave when the configuration has no route back to the source (KernelOutcome.NoWayBack).
var NotForwarded = map[punt.Reason]Fit{
	punt.ARP: {Why: "ARP belongs to the control plane: the kernel answers requests for its addresses and otherwise only learns",
		Kernel: []string{kARPReply, kNothing}},
	punt.ToMe: {Why: "delivered locally: echo reply, TCP reset or port unreachable, after resolving the sender",
		Kernel: []string{kLocalReply, kPortUnreach, kProtUnreach, kARPRequest, kNoWayBack}},
	punt.TTLExpired: {Why: "ip_forward answers TTL <= 1 with time exceeded (after resolving the sender)",
		Kernel: []string{kTimeExc, kARPRequest, kNoWayBack}},
	punt.NoRoute: {Why: "no route: the kernel answers net unreachable (after resolving the sender), rate-limited per source",
		Kernel: []string{kNetUnreach, kARPRequest, kRateLimited, kNoWayBack}},
	// The kernel checks the egress MTU (ip_forward) before it resolves the next hop, linerate
	// decides glean (rule 19) before mtu_exceeded (rule 20): a DF packet too big for the egress
	// port of an unresolved next hop gets frag-needed from Linux, a glean punt from linerate.
	// Intended: both leave it to the slow path, which checks the MTU when it forwards.
	punt.Glean: {Why: "the kernel ARPs for the next hop and queues the packet; nobody answers, and when the test flushes the pending entry the kernel reports host unreachable (or frag-needed first, for a DF packet above the egress MTU)",
		Kernel: []string{kARPRequest, kHostUnreach, kFragNeeded}},
	punt.Multicast: {Why: "no multicast routing: IPv4 multicast and limited broadcast are delivered locally (no listener, no error for group destinations) or dropped",
		Kernel: []string{kNothing}},
	punt.IPv6: {Why: "IPv6 is disabled on every interface of the lab",
		Kernel: []string{kNothing}},
	punt.NonIP: {Why: "no handler for LLDP, STP (802.3 length), MPLS (not enabled) or local ethertypes",
		Kernel: []string{kNothing}},
	punt.VLAN: {Why: "no VLAN interfaces: a tag with a VLAN ID makes the frame PACKET_OTHERHOST, which IP drops",
		Kernel: []string{kNothing}},
	punt.Martian: {Why: "ip_route_input drops martian sources (0.0.0.0, 127/8, multicast, limited broadcast) and destinations (0.0.0.0, 127/8) silently; the rest of 0/8 is in Differences",
		Kernel: []string{kNothing}},
	punt.Blackhole: {Why: "a blackhole route discards silently, before the TTL check",
		Kernel: []string{kNothing}},
	// Malformed frames that a veth delivers as they are (frames with a bad FCS, runts and
	// giants cannot cross a veth, so they have no entry).
	punt.WrongDstMAC: {Why: "unicast to another MAC is PACKET_OTHERHOST: ip_rcv and arp_rcv drop it",
		Kernel: []string{kNothing}},
	punt.L2BroadcastTransit: {Why: "ip_forward drops packets that were not addressed to the host at L2",
		Kernel: []string{kNothing}},
	punt.BadIPHeader: {Why: "ip_rcv_core drops bad versions, IHL < 5 and impossible lengths",
		Kernel: []string{kNothing}},
	punt.BadIPChecksum: {Why: "ip_rcv_core drops bad header checksums",
		Kernel: []string{kNothing}},
}

// SlowPath are the reasons linerate leaves to the CPU by design, whatever the kernel does with
// the frame: the data plane must punt them.
var SlowPath = map[punt.Reason]Fit{
	punt.IPOptions: {Why: "the kernel processes options (forwards them, updating record route, or answers parameter problem, time exceeded...); linerate's fast path never does"},
	punt.MTUExceeded: {Why: "the kernel fragments (DF clear) or answers frag-needed (DF set): slow-path work. " +
		"But the kernel forwarding the packet whole would mean that the egress MTUs of the two routers differ",
		Never: []string{kForwarded}},
}

// Difference is a documented, intended difference between linerate and the Linux kernel. A
// frame it applies to is judged by it alone.
type Difference struct {
	Name string
	Why  string
	// Applies reports whether the difference explains this frame decided so by linerate.
	Applies func(frame []byte, r *model.Result) bool
	Fit     // what the kernel may do with the frame
}

// Differences are the documented, intended differences.
var Differences = []Difference{
	{
		Name: "zeronet",
		Why: "linerate drops sources and destinations in 0.0.0.0/8 as martians (RFC 1812 5.3.7; " +
			"ARCHITECTURE 3.3, rtl/core/README.md rule 11); Linux (since 5.3, \"Allow 0.0.0.0/8 as a valid " +
			"address range\") treats 0.0.0.0/8 other than 0.0.0.0 as ordinary unicast and routes it like " +
			"any other address: forwards it, answers net unreachable, ARPs",
		Applies: func(f []byte, r *model.Result) bool {
			return r.Reason == punt.Martian && zeronetOnly(f)
		},
	},
}

// zeronetOnly reports whether an untagged IPv4 frame is martian only because its source or
// destination is in 0.0.0.0/8 (and is not 0.0.0.0).
func zeronetOnly(f []byte) bool {
	if !untaggedIPv4(f) {
		return false
	}
	k := keyAt(f[14:])
	zero := func(a uint32) bool { return a>>24 == 0 && a != 0 }
	srcOther := k.Src == 0 || k.Src>>24 == 127 || k.Src>>28 >= 14
	dstOther := k.Dst == 0 || k.Dst>>24 == 127 || (k.Dst>>28 == 15 && k.Dst != 0xffffffff)
	return (zero(k.Src) || zero(k.Dst)) && !srcOther && !dstOther
}

// Judge compares the Linux router's outcome for one input with linerate's decision and returns
// what disagrees ("" when they agree):
//   - a frame the kernel forwards, linerate forwards out of the same port with the same bytes
//     (the first 14 + IP total length bytes: Linux sends no padding and no FCS);
//   - a frame the kernel does not forward, linerate punts or drops with a reason of
//     NotForwarded, and the kernel's outcome is one that goes with that reason;
//   - a frame linerate decides with a reason of SlowPath, linerate punts, whatever the kernel
//     did (but for what the reason's entry rules out).
//
// A frame that one of Differences applies to is judged by that difference instead.
func Judge(in Input, k *KernelOutcome, r *model.Result) string {
	class := k.Class()
	for _, d := range Differences {
		if d.Applies(in.Data, r) {
			if !d.fits(class) {
				return fmt.Sprintf("linerate decided %s (intended difference %q), but the kernel's outcome (%s) is not %s (%s)",
					r.Reason, d.Name, class, d.want(), d.Why)
			}
			return ""
		}
	}
	if fit, ok := SlowPath[r.Reason]; ok {
		if !r.ToCPU {
			return fmt.Sprintf("linerate decided %s but did not punt it", r.Reason)
		}
		if !fit.fits(class) {
			return fmt.Sprintf("linerate punts it as %s, but the kernel's outcome (%s) is not %s (%s)",
				r.Reason, class, fit.want(), fit.Why)
		}
		return ""
	}
	if k.Forwarded() {
		if r.Reason != punt.Forward {
			return fmt.Sprintf("the kernel forwarded it (%s); linerate decided %s", k, r.Reason)
		}
		if len(k.Copies) != 1 {
			return fmt.Sprintf("the kernel sent %s; linerate forwarded it whole out of port%d", k, r.OutPort)
		}
		c := k.Copies[0]
		if c.Port != r.OutPort {
			return fmt.Sprintf("the kernel forwarded it out of port%d, linerate out of port%d", c.Port, r.OutPort)
		}
		n := ipTotal(in.Data)
		if len(c.Data) < n || len(r.Out) < n {
			return fmt.Sprintf("forwarded frames too short: kernel %d bytes, linerate %d bytes (with padding and FCS), want %d", len(c.Data), len(r.Out), n)
		}
		if kb, lb := c.Data[:n], r.Out[:n]; !bytes.Equal(kb, lb) {
			d := firstDiff(kb, lb)
			return fmt.Sprintf("forwarded bytes differ from byte %d (%s): kernel % x, linerate % x",
				d, fieldAt(d), window(kb, d), window(lb, d))
		}
		return ""
	}
	if r.Reason == punt.Forward {
		return fmt.Sprintf("the kernel did not forward it (%s); linerate forwarded it out of port%d", k, r.OutPort)
	}
	fit, ok := NotForwarded[r.Reason]
	if !ok {
		return fmt.Sprintf("the kernel did not forward it (%s); linerate's reason %s does not fit a frame Linux drops (no entry in NotForwarded)", k, r.Reason)
	}
	if !fit.fits(class) {
		return fmt.Sprintf("linerate decided %s, but the kernel's outcome (%s) is not %s (%s)",
			r.Reason, class, fit.want(), fit.Why)
	}
	return ""
}

// DescribeResult is linerate's decision in a few words.
func DescribeResult(r *model.Result) string {
	switch {
	case r.Reason == punt.Forward:
		return fmt.Sprintf("forward out of port%d", r.OutPort)
	case r.ToCPU:
		return "punt " + r.Reason.String()
	}
	return "drop " + r.Reason.String()
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// window returns up to 8 bytes of b from off.
func window(b []byte, off int) []byte { return b[off:min(len(b), off+8)] }

// fieldAt names the header field at a byte offset of an untagged IPv4 frame.
func fieldAt(off int) string {
	switch {
	case off < 6:
		return "destination MAC"
	case off < 12:
		return "source MAC"
	case off < 14:
		return "ethertype"
	case off == 22:
		return "TTL"
	case off == 24 || off == 25:
		return "IP checksum"
	case off < 34:
		return "IPv4 header"
	}
	return "payload"
}
