// Package traffic generates Ethernet frames for the demo, the co-simulation regression and the
// Linux differential test: a mix that exercises every rule of the data plane's decision order
// (rtl/core/README.md) against a given table image, back-to-back bursts of forwardable frames,
// and random garbage.
//
// Frames carry no FCS (the harness appends it, and corrupts it for frames marked BadFCS).
// Every generator is deterministic: the same image, seed and options give the same frames.
// A frame's Kind is the generator's intent, named like the reason the data plane should decide
// ("forward", "ttl_expired", "runt", ...); the golden model, not the label, is the oracle.
package traffic

import (
	"math/rand/v2"

	"github.com/linerate/linerate/tables"
)

// MaxFrameBytes is the data plane's MAX_FRAME_BYTES build parameter (rtl/core/README.md rule 2):
// longer frames are giants on every port.
const MaxFrameBytes = 9600

// Frame is one generated frame arriving on a port.
type Frame struct {
	Port   int    // ingress port
	Data   []byte // Ethernet frame without FCS
	BadFCS bool   // the harness must append a wrong FCS
	Kind   string // what the generator meant (one of the Kind* names)
}

// The kinds of frames. All but KindRandom are the names of the data plane's reasons
// (hostdrv/punt), so a label can be compared with a verdict.
const (
	KindForward            = "forward"
	KindARP                = "arp"
	KindToMe               = "to_me"
	KindTTLExpired         = "ttl_expired"
	KindIPOptions          = "ip_options"
	KindNoRoute            = "no_route"
	KindGlean              = "glean"
	KindMTUExceeded        = "mtu_exceeded"
	KindMulticast          = "multicast"
	KindIPv6               = "ipv6"
	KindNonIP              = "non_ip"
	KindVLAN               = "vlan"
	KindBadFCS             = "bad_fcs"
	KindRunt               = "runt"
	KindGiant              = "giant"
	KindBadIPHeader        = "bad_ip_header"
	KindBadIPChecksum      = "bad_ip_checksum"
	KindWrongDstMAC        = "wrong_dst_mac"
	KindL2BroadcastTransit = "l2_broadcast_transit"
	KindMartian            = "martian"
	KindBlackhole          = "blackhole"
	KindRandom             = "random" // Random's garbage
)

// mixKinds are the kinds Mix makes, in reason-code order.
var mixKinds = []string{
	KindForward, KindARP, KindToMe, KindTTLExpired, KindIPOptions, KindNoRoute, KindGlean,
	KindMTUExceeded, KindMulticast, KindIPv6, KindNonIP, KindVLAN, KindBadFCS, KindRunt,
	KindGiant, KindBadIPHeader, KindBadIPChecksum, KindWrongDstMAC, KindL2BroadcastTransit,
	KindMartian, KindBlackhole,
}

// validKinds are the kinds of well-formed traffic (MixOptions.OnlyValid).
var validKinds = map[string]bool{
	KindForward: true, KindARP: true, KindToMe: true, KindTTLExpired: true, KindIPOptions: true,
	KindNoRoute: true, KindGlean: true, KindMTUExceeded: true, KindMulticast: true, KindIPv6: true,
	KindNonIP: true, KindVLAN: true, KindMartian: true, KindBlackhole: true,
}

// Kinds returns the kinds Mix makes, in the order of the reason codes.
func Kinds() []string { return append([]string(nil), mixKinds...) }

// DefaultWeights returns the relative weights Mix uses when MixOptions.Weights is nil: forwarded
// frames dominate, every other kind comes up often enough that a few thousand frames cover all
// of them (and their variants).
func DefaultWeights() map[string]int {
	w := map[string]int{}
	for _, k := range mixKinds {
		w[k] = 1
	}
	w[KindForward] = 12
	w[KindBadIPHeader] = 3
	w[KindMartian] = 2
	w[KindNonIP] = 2
	return w
}

// MixOptions tune Mix.
type MixOptions struct {
	// OnlyValid restricts the mix to well-formed traffic that a Linux router receives as such:
	// forward, arp, to_me, ttl_expired, ip_options, no_route, glean, mtu_exceeded (IP packets no
	// longer than the ingress MTU), multicast, ipv6, non_ip, vlan, martian and blackhole. No bad
	// FCS, runts, giants, malformed IP headers, bad checksums or wrong/broadcast MACs. Martians
	// leave out class E (240/4), which Linux forwards; they keep 0.0.0.0/8, which Linux (5.3
	// and later) also forwards but RFC 1812 and linerate treat as martian: test/linuxdiff lists
	// that as a documented difference.
	OnlyValid bool
	// Ports are the ingress ports to use; empty means every port of the image. Ports outside
	// the image are ignored.
	Ports []int
	// Weights are relative weights by kind (see Kinds); kinds missing from the map are not
	// generated. Nil means DefaultWeights.
	Weights map[string]int
}

// gen holds one generator's state.
type gen struct {
	*view
	rng   *rand.Rand
	valid bool
	sweep int // next size of the 60..128 sweep
}

func newGen(im *tables.Image, seed uint64, valid bool) *gen {
	rng := rand.New(rand.NewPCG(seed, 0x6c696e6572617465)) // "linerate"
	return &gen{view: newView(im, rng), rng: rng, valid: valid}
}

// Mix returns n frames arriving on the image's ports (or opt.Ports), of kinds drawn by weight
// among those the image makes possible: no_route needs an address outside every prefix (none
// with a default route), glean and blackhole need such routes, to_me a router address,
// mtu_exceeded a forward route whose MTU is below the ingress MTU. Kinds impossible on a port
// are drawn on other ports. Mix returns nil when im has no usable port or no requested kind is
// possible.
func Mix(im *tables.Image, seed uint64, n int, opt MixOptions) []Frame {
	if im == nil || n <= 0 {
		return nil
	}
	var ports []int
	if len(opt.Ports) == 0 {
		for p := range im.Ports {
			ports = append(ports, p)
		}
	} else {
		for _, p := range opt.Ports {
			if p >= 0 && p < len(im.Ports) {
				ports = append(ports, p)
			}
		}
	}
	if len(ports) == 0 {
		return nil
	}
	g := newGen(im, seed, opt.OnlyValid)
	weights := opt.Weights
	if weights == nil {
		weights = DefaultWeights()
	}
	type choice struct {
		kind  string
		w     int
		ports []int
	}
	var cs []choice
	total := 0
	for _, k := range mixKinds {
		w := weights[k]
		if w <= 0 || (opt.OnlyValid && !validKinds[k]) {
			continue
		}
		var ps []int
		for _, p := range ports {
			if g.feasible(k, p) {
				ps = append(ps, p)
			}
		}
		if len(ps) > 0 {
			cs = append(cs, choice{k, w, ps})
			total += w
		}
	}
	if total == 0 {
		return nil
	}
	out := make([]Frame, 0, n)
	for fails := 0; len(out) < n && fails < 10000; {
		x := g.rng.IntN(total)
		c := cs[0]
		for _, c = range cs {
			if x < c.w {
				break
			}
			x -= c.w
		}
		p := c.ports[g.rng.IntN(len(c.ports))]
		f, ok := g.build(c.kind, p)
		if !ok {
			fails++ // an unlucky draw of addresses: draw again
			continue
		}
		out = append(out, f)
	}
	return out
}

// maxIP is the longest untagged IPv4 frame a port takes without a giant drop, leaving the 4
// extra bytes of rule 2 to tagged frames.
func (g *gen) maxIP(p int) int { return min(g.portMTU(p)+14, MaxFrameBytes) }

// mtuLimit is the largest IP total length that arrives on p: the port MTU for well-formed
// traffic, 4 more (rule 2's allowance for a VLAN tag) otherwise.
func (g *gen) mtuLimit(p int) int {
	l := g.portMTU(p)
	if !g.valid {
		l += 4
	}
	return min(l, MaxFrameBytes-14)
}

func (g *gen) feasible(k string, p int) bool {
	if k == KindRunt || k == KindGiant {
		return true
	}
	if g.portMTU(p) < 68 { // every other frame would be a giant
		return false
	}
	fwd := func(r route) bool { return r.mtu >= 28 }
	switch k {
	case KindForward:
		return g.anyReach(tables.AdjForward, fwd)
	case KindTTLExpired:
		return g.routeN(tables.AdjForward)+g.routeN(tables.AdjGlean) > 0
	case KindToMe:
		return g.hasRAddr()
	case KindNoRoute:
		return g.missFound
	case KindGlean:
		return g.routeN(tables.AdjGlean) > 0
	case KindBlackhole:
		return g.routeN(tables.AdjBlackhole) > 0
	case KindMTUExceeded:
		lim := g.mtuLimit(p)
		return g.anyReach(tables.AdjForward, func(r route) bool { return r.mtu >= 20 && r.mtu < lim })
	}
	return true
}

func (g *gen) anyReach(k tables.AdjKind, ok func(route) bool) bool {
	for _, i := range g.reach[k] {
		if ok(g.routes[i]) {
			return true
		}
	}
	return false
}

func (g *gen) build(k string, p int) (Frame, bool) {
	var (
		d  []byte
		ok = true
	)
	f := Frame{Port: p, Kind: k}
	switch k {
	case KindForward:
		d, ok = g.forward(p)
	case KindARP:
		d = g.arp(p, g.portMAC(p), g.rng.IntN(2) == 0)
	case KindToMe:
		d = g.toMe(p)
	case KindTTLExpired:
		d, ok = g.ttlExpired(p)
	case KindIPOptions:
		d = g.ipOptions(p)
	case KindNoRoute:
		d, ok = g.noRoute(p)
	case KindGlean:
		d, ok = g.viaKind(p, tables.AdjGlean, 2)
	case KindBlackhole:
		d, ok = g.viaKind(p, tables.AdjBlackhole, 0)
	case KindMTUExceeded:
		d, ok = g.mtuExceeded(p)
	case KindMulticast:
		d = g.multicast(p)
	case KindIPv6:
		d = g.ipv6(p)
	case KindNonIP:
		d = g.nonIP(p)
	case KindVLAN:
		d = g.vlan(p)
	case KindBadFCS:
		d, f.BadFCS = g.goodFrame(p), true
	case KindRunt:
		d = g.runt(p)
	case KindGiant:
		d = g.giant(p)
	case KindBadIPHeader:
		d = g.badIPHeader(p)
	case KindBadIPChecksum:
		d = g.badIPChecksum(p)
	case KindWrongDstMAC:
		d = g.wrongDstMAC(p)
	case KindL2BroadcastTransit:
		d = g.l2BroadcastTransit(p)
	case KindMartian:
		d = g.martian(p)
	default:
		return Frame{}, false
	}
	if !ok {
		return Frame{}, false
	}
	f.Data = d
	return f, true
}

// Random returns n frames of random bytes and random lengths (1 to 1600) on random ports in
// [0, ports) (all on port 0 when ports < 2), a sixteenth of them marked BadFCS, for fuzzing the pipeline with garbage. Half
// the frames are shaped a little so that they get past the first checks: a group destination
// MAC, a known ethertype and, for IPv4, a plausible first header byte.
func Random(seed uint64, n int, ports int) []Frame {
	rng := rand.New(rand.NewPCG(seed, 0x72616e646f6d)) // "random"
	out := make([]Frame, 0, max(n, 0))
	for i := 0; i < n; i++ {
		d := make([]byte, 1+rng.IntN(1600))
		fill(rng, d)
		if rng.IntN(2) == 0 && len(d) >= 15 {
			d[0] |= 1
			ets := []uint16{etIPv4, etIPv4, etIPv4, etARP, etIPv6, etVLAN, etQinQ}
			et := ets[rng.IntN(len(ets))]
			d[12], d[13] = byte(et>>8), byte(et)
			if et == etIPv4 {
				d[14] = 0x40 | byte(rng.IntN(16))
			}
		}
		p := 0
		if ports > 1 {
			p = rng.IntN(ports)
		}
		out = append(out, Frame{Port: p, Data: d, BadFCS: rng.IntN(16) == 0, Kind: KindRandom})
	}
	return out
}
