package traffic

import (
	"encoding/binary"
	"net"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/linerate/linerate/tables"
)

// Sizes, headers and addresses shared by the kinds.

// size returns a frame length in [lo, hi]: the 60..128 sweep in turn, random lengths up to
// 1514, the bounds themselves, and jumbo lengths when hi allows them.
func (g *gen) size(lo, hi int) int {
	if hi < lo {
		hi = lo
	}
	var s int
	switch x := g.rng.IntN(20); {
	case x < 8:
		s = 60 + g.sweep%69
		g.sweep++
	case x < 15:
		s = 60 + g.rng.IntN(1514-60+1)
	case x < 17:
		s = hi
	case x < 18:
		s = lo
	default:
		if hi > 1514 {
			s = 1515 + g.rng.IntN(hi-1514)
		} else {
			s = 60 + g.rng.IntN(1514-60+1)
		}
	}
	return min(max(s, lo), hi)
}

func (g *gen) hostMAC() mac {
	var m mac
	fill(g.rng, m[1:])
	m[0] = 0x02 // locally administered unicast
	return m
}

func (g *gen) proto() byte {
	switch x := g.rng.IntN(10); {
	case x < 5:
		return protoUDP
	case x < 8:
		return protoTCP
	}
	return protoICMP
}

func l4Min(proto byte) int {
	if proto == protoTCP {
		return 20
	}
	return 8
}

// ttl returns a TTL a transit packet may have (2..255).
func (g *gen) ttl() byte {
	switch g.rng.IntN(8) {
	case 4:
		return 255
	case 5:
		return 2
	case 6:
		return 128
	case 7:
		return byte(2 + g.rng.IntN(254))
	}
	return 64
}

// hdr returns a plain IPv4 header (no options) from a host behind port p to dst.
func (g *gen) hdr(p int, dst uint32, ttl byte) ipHdr {
	return ipHdr{
		Ver: 4, IHL: 5,
		TOS:   []byte{0, 0, 0, 0x10, 0xb8}[g.rng.IntN(5)],
		ID:    uint16(g.rng.Uint32()),
		DF:    g.rng.IntN(2) == 0,
		TTL:   ttl,
		Proto: g.proto(),
		Src:   g.srcFor(g.rng, p, dst),
		Dst:   dst,
	}
}

// ipFrame builds an IPv4 frame behind the L2 header l2 with a total length of at most maxTot,
// the frame at least 60 bytes long. Some short frames carry Ethernet padding after the IP
// packet (zeros or junk), as minimum-size frames on a wire do.
func (g *gen) ipFrame(l2 []byte, h ipHdr, maxTot int) []byte {
	minTot := 4*h.IHL + l4Min(h.Proto)
	if maxTot < minTot {
		minTot = maxTot
	}
	size := g.size(max(60, len(l2)+minTot), max(60, len(l2)+maxTot))
	tot := min(size-len(l2), maxTot)
	if size <= 100 && g.rng.IntN(6) == 0 {
		tot = minTot + g.rng.IntN(tot-minTot+1)
	}
	h.Tot = tot
	return ipv4Frame(g.rng, l2, h, size, g.rng.IntN(2) == 0)
}

// toRouter is the L2 header of an IPv4 frame to port p's MAC.
func (g *gen) toRouter(p int) []byte { return ethHeader(g.portMAC(p), g.hostMAC(), etIPv4) }

// transitFrame is a well-formed transit IPv4 frame to dst, to the router's MAC.
func (g *gen) transitFrame(p int, dst uint32, ttl byte) []byte {
	return g.ipFrame(g.toRouter(p), g.hdr(p, dst, ttl), g.portMTU(p))
}

// The kinds, in reason-code order.

func (g *gen) forward(p int) ([]byte, bool) {
	dst, r, ok := g.dstVia(g.rng, g.reach[tables.AdjForward], func(r route) bool { return r.mtu >= 28 })
	if !ok {
		return nil, false
	}
	maxTot := min(r.mtu, g.portMTU(p), MaxFrameBytes-14)
	return g.ipFrame(g.toRouter(p), g.hdr(p, dst, g.ttl()), maxTot), true
}

// arp is an ARP request (broadcast: for a router address, another host, or gratuitous) or a
// reply to dmac.
func (g *gen) arp(p int, dmac mac, reply bool) []byte {
	hw := g.hostMAC()
	src := g.srcFor(g.rng, p, 0)
	target := g.anyTransit(g.rng)
	if g.hasRAddr() && g.rng.IntN(4) != 0 {
		target = g.raddrs[g.rng.IntN(len(g.raddrs))]
	}
	a := &layers.ARP{
		AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4,
		Operation:       layers.ARPRequest,
		SourceHwAddress: hw[:], SourceProtAddress: ipBytes(src),
		DstHwAddress: make([]byte, 6), DstProtAddress: ipBytes(target),
	}
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr(hw[:]), DstMAC: net.HardwareAddr(broadcastMAC[:]), EthernetType: layers.EthernetTypeARP}
	switch {
	case reply:
		a.Operation = layers.ARPReply
		a.DstHwAddress = dmac[:]
		eth.DstMAC = net.HardwareAddr(dmac[:])
	case g.rng.IntN(6) == 0: // gratuitous
		a.DstProtAddress = ipBytes(src)
	}
	return g.serialize(eth, a)
}

// serialize builds a frame from gopacket layers, padded to 60 bytes. The layers built here
// always serialize; should one not, the frame is a 60-byte frame of ethertype 0x88b5, which the
// tests (a frame that is not what its kind says) catch.
func (g *gen) serialize(ls ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		return pad(ethHeader(broadcastMAC, g.hostMAC(), etLocal), 60)
	}
	return pad(append([]byte(nil), buf.Bytes()...), 60)
}

func (g *gen) toMe(p int) []byte {
	dst := g.raddrs[g.rng.IntN(len(g.raddrs))]
	ttl := g.ttl()
	if g.rng.IntN(8) == 0 {
		ttl = 1 // to_me comes before the TTL check
	}
	h := g.hdr(p, dst, ttl)
	if g.rng.IntN(2) == 0 {
		h.Proto = protoICMP // ping the router
	}
	if g.rng.IntN(8) == 0 { // ... and before the options check
		h.IHL = 6 + g.rng.IntN(3)
		h.Opts = ipOptions(g.rng, 4*(h.IHL-5))
	}
	return g.ipFrame(g.toRouter(p), h, g.portMTU(p))
}

func (g *gen) ttlExpired(p int) ([]byte, bool) {
	list := append(append([]int(nil), g.reach[tables.AdjForward]...), g.reach[tables.AdjGlean]...)
	dst, _, ok := g.dstVia(g.rng, list, nil)
	if !ok {
		return nil, false
	}
	return g.transitFrame(p, dst, byte(g.rng.IntN(2))), true
}

func (g *gen) ipOptions(p int) []byte {
	h := g.hdr(p, g.anyTransit(g.rng), g.ttl())
	h.IHL = 6 + g.rng.IntN(10)
	h.Opts = ipOptions(g.rng, 4*(h.IHL-5))
	return g.ipFrame(g.toRouter(p), h, g.portMTU(p))
}

func (g *gen) noRoute(p int) ([]byte, bool) {
	dst, ok := g.missAddr(g.rng)
	if !ok {
		return nil, false
	}
	return g.transitFrame(p, dst, g.ttl()), true
}

// viaKind is a transit frame to a destination whose route has an adjacency of kind k, with a
// TTL of at least minTTL.
func (g *gen) viaKind(p int, k tables.AdjKind, minTTL int) ([]byte, bool) {
	dst, _, ok := g.dstVia(g.rng, g.reach[k], nil)
	if !ok {
		return nil, false
	}
	ttl := g.ttl()
	if minTTL == 0 && g.rng.IntN(4) == 0 {
		ttl = byte(g.rng.IntN(2)) // the blackhole drop comes before the TTL check
	}
	return g.transitFrame(p, dst, ttl), true
}

func (g *gen) mtuExceeded(p int) ([]byte, bool) {
	lim := g.mtuLimit(p)
	dst, r, ok := g.dstVia(g.rng, g.reach[tables.AdjForward], func(r route) bool { return r.mtu >= 20 && r.mtu < lim })
	if !ok {
		return nil, false
	}
	tot := r.mtu + 1 + g.rng.IntN(lim-r.mtu)
	if g.rng.IntN(4) == 0 {
		tot = r.mtu + 1
	}
	h := g.hdr(p, dst, g.ttl()) // DF set or not: both are punted
	h.Tot = tot
	return ipv4Frame(g.rng, g.toRouter(p), h, 14+tot, false), true
}

func (g *gen) multicast(p int) []byte {
	var dst uint32
	h := g.hdr(p, 0, g.ttl())
	h.Proto = protoUDP
	switch g.rng.IntN(4) {
	case 0: // OSPF hello
		dst, h.Proto, h.TTL = ip4(224, 0, 0, 5), protoOSPF, 1
	case 1:
		dst = ip4(239, 1, 2, 3)
	case 2: // limited broadcast (DHCP-like)
		dst = ip4(255, 255, 255, 255)
	default:
		dst = 0xe0000000 | g.rng.Uint32()&0x0fffffff
	}
	h.Dst = dst
	dmac := multicastMAC(dst)
	switch {
	case dst == 0xffffffff:
		dmac = broadcastMAC
	case g.rng.IntN(8) == 0:
		dmac = g.portMAC(p) // multicast IP in a unicast frame is still multicast
	}
	return g.ipFrame(ethHeader(dmac, g.hostMAC(), etIPv4), h, g.portMTU(p))
}

func (g *gen) ipv6(p int) []byte {
	hw := g.hostMAC()
	src := net.IP{0xfe, 0x80, 0, 0, 0, 0, 0, 0, hw[0] ^ 2, hw[1], hw[2], 0xff, 0xfe, hw[3], hw[4], hw[5]}
	dst := net.ParseIP("2001:db8::1").To16()
	dmac := g.portMAC(p)
	switch g.rng.IntN(3) {
	case 0:
		dst = net.ParseIP("ff02::1").To16()
		dmac = mac{0x33, 0x33, 0, 0, 0, 1}
	case 1:
		dst = append(net.IP(nil), dst...)
		fill(g.rng, dst[8:])
	}
	eth := &layers.Ethernet{SrcMAC: hw[:], DstMAC: net.HardwareAddr(dmac[:]), EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolUDP, HopLimit: []uint8{64, 255, 1}[g.rng.IntN(3)], SrcIP: src, DstIP: dst}
	udp := &layers.UDP{SrcPort: layers.UDPPort(1024 + g.rng.IntN(60000)), DstPort: 546}
	_ = udp.SetNetworkLayerForChecksum(ip)
	payload := make([]byte, g.size(62, g.maxIP(p))-62)
	fill(g.rng, payload)
	return g.serialize(eth, ip, udp, gopacket.Payload(payload))
}

func (g *gen) nonIP(p int) []byte {
	hw := g.hostMAC()
	switch g.rng.IntN(4) {
	case 0: // LLDP: chassis ID (MAC), port ID, TTL, end
		b := ethHeader(mac{0x01, 0x80, 0xc2, 0, 0, 0x0e}, hw, etLLDP)
		b = append(b, 0x02, 0x07, 4)
		b = append(b, hw[:]...)
		b = append(b, 0x04, 0x06, 7, 'e', 't', 'h', '0', byte('0'+p%10))
		b = append(b, 0x06, 0x02, 0, 120, 0, 0)
		return pad(b, 60)
	case 1: // spanning tree BPDU: IEEE 802.3 length field, LLC
		b := ethHeader(mac{0x01, 0x80, 0xc2, 0, 0, 0}, hw, 38)
		b = append(b, 0x42, 0x42, 0x03, 0, 0, 0, 0)
		bpdu := make([]byte, 31)
		fill(g.rng, bpdu)
		return pad(append(b, bpdu...), 60)
	case 2: // MPLS to the router
		b := ethHeader(g.portMAC(p), hw, etMPLS)
		b = binary.BigEndian.AppendUint32(b, uint32(16+g.rng.IntN(1000))<<12|1<<8|64)
		return g.payload(b, p)
	}
	return g.payload(ethHeader(g.portMAC(p), hw, etLocal), p)
}

// payload extends an L2 header with random bytes to a random length.
func (g *gen) payload(l2 []byte, p int) []byte {
	b := make([]byte, g.size(60, g.maxIP(p)))
	copy(b, l2)
	fill(g.rng, b[len(l2):])
	return b
}

func (g *gen) vlan(p int) []byte {
	tags := [][2]uint16{{etVLAN, uint16(1 + g.rng.IntN(4094))}}
	if g.rng.IntN(4) == 0 {
		tags = [][2]uint16{{etQinQ, uint16(1 + g.rng.IntN(4094))}, {etVLAN, uint16(1 + g.rng.IntN(4094))}}
	}
	l2 := ethHeader(g.portMAC(p), g.hostMAC(), etIPv4, tags...)
	// Rule 2 allows port MTU + 18 bytes: room for one tag after a full-size IP packet.
	return g.ipFrame(l2, g.hdr(p, g.anyTransit(g.rng), g.ttl()), min(g.portMTU(p)+18, MaxFrameBytes)-len(l2))
}

// goodFrame is a frame the router would accept: usually a forwarded one (the frames the bad
// FCS check must catch), else a ping of the router or an ARP request.
func (g *gen) goodFrame(p int) []byte {
	if d, ok := g.forward(p); ok && g.rng.IntN(4) != 0 {
		return d
	}
	if g.hasRAddr() && g.rng.IntN(2) == 0 {
		return g.toMe(p)
	}
	return g.arp(p, g.portMAC(p), false)
}

func (g *gen) runt(p int) []byte {
	n := 4 + g.rng.IntN(56)
	if g.rng.IntN(4) == 0 {
		n = 1 + g.rng.IntN(3)
	}
	if g.rng.IntN(2) == 0 {
		b := make([]byte, n)
		fill(g.rng, b)
		return b
	}
	return g.transitFrame(p, g.anyTransit(g.rng), g.ttl())[:n] // a cut-off frame
}

func (g *gen) giant(p int) []byte {
	lo := min(g.portMTU(p)+18, MaxFrameBytes) + 1
	size := lo
	switch g.rng.IntN(5) {
	case 0, 1:
		size += g.rng.IntN(64)
	case 2:
		size = max(lo, MaxFrameBytes+1) + g.rng.IntN(200) // over MAX_FRAME_BYTES too
	}
	if g.rng.IntN(4) == 0 {
		b := make([]byte, size)
		copy(b, ethHeader(g.portMAC(p), g.hostMAC(), etLocal))
		fill(g.rng, b[14:])
		return b
	}
	h := g.hdr(p, g.anyTransit(g.rng), g.ttl())
	h.Tot = min(size-14, 65535)
	return ipv4Frame(g.rng, g.toRouter(p), h, size, false)
}

func (g *gen) badIPHeader(p int) []byte {
	h := g.hdr(p, g.anyTransit(g.rng), g.ttl())
	l2 := g.toRouter(p)
	maxL := g.maxIP(p)
	var size int
	switch g.rng.IntN(5) {
	case 0: // version is not 4
		h.Ver = []int{6, 6, 5, 5, 0, 15, 3, 7}[g.rng.IntN(8)]
		return g.ipFrame(l2, h, g.portMTU(p))
	case 1: // IHL < 5
		h.IHL = g.rng.IntN(5)
		size = g.size(60, maxL)
		h.Tot = size - 14
	case 2: // total length < 4*IHL
		h.IHL = 5 + g.rng.IntN(11)
		h.Opts = ipOptions(g.rng, 4*(h.IHL-5))
		size = g.size(max(60, 14+4*h.IHL), maxL)
		h.Tot = g.rng.IntN(4 * h.IHL)
	case 3: // total length > frame length - 14
		size = g.size(60, maxL)
		h.Tot = size - 14 + 1
		if g.rng.IntN(4) != 0 {
			h.Tot += g.rng.IntN(min(1500, 65535-h.Tot))
		}
	default: // the frame ends inside the IP header
		h.IHL = 12 + g.rng.IntN(4)
		h.Opts = ipOptions(g.rng, 4*(h.IHL-5))
		size = 60 + g.rng.IntN(14+4*h.IHL-60)
		h.Tot = 4*h.IHL + 8 + g.rng.IntN(100)
	}
	return ipv4Frame(g.rng, l2, h, size, false)
}

func (g *gen) badIPChecksum(p int) []byte {
	var d []byte
	if g.hasRAddr() && g.rng.IntN(4) == 0 {
		d = g.toMe(p)
	} else {
		d = g.transitFrame(p, g.anyTransit(g.rng), g.ttl())
	}
	// One flipped bit in a header word changes the ones-complement sum, whichever word it is.
	at := []int{24, 25, 24, 25, 18, 19, 15}[g.rng.IntN(7)]
	d[at] ^= 1 << g.rng.IntN(8)
	return d
}

func (g *gen) wrongDstMAC(p int) []byte {
	own := g.portMAC(p)
	var dmac mac
	for {
		switch g.rng.IntN(3) {
		case 0:
			dmac = g.portMAC(g.rng.IntN(g.nPorts)) // another port's MAC
		case 1:
			dmac = mac{0x00, 0x00, 0x5e, 0x00, 0x01, byte(1 + g.rng.IntN(255))} // a VRRP MAC
		default:
			dmac = g.hostMAC()
		}
		dmac[0] &^= 1
		if dmac != own {
			break
		}
	}
	if g.rng.IntN(5) == 0 {
		return g.arp(p, dmac, true)
	}
	d := g.transitFrame(p, g.anyTransit(g.rng), g.ttl())
	copy(d[0:6], dmac[:])
	return d
}

func (g *gen) l2BroadcastTransit(p int) []byte {
	h := g.hdr(p, g.anyTransit(g.rng), g.ttl())
	if g.rng.IntN(8) == 0 {
		h.IHL = 6
		h.Opts = ipOptions(g.rng, 4)
	}
	dmac := broadcastMAC
	switch g.rng.IntN(5) {
	case 0:
		dmac = multicastMAC(ip4(239, byte(g.rng.IntN(256)), 2, 3))
	case 1:
		dmac = mac{0x33, 0x33, 0, 0, 0, 1}
	}
	return g.ipFrame(ethHeader(dmac, g.hostMAC(), etIPv4), h, g.portMTU(p))
}

func (g *gen) martian(p int) []byte {
	type m struct {
		addr  uint32
		isSrc bool
		linux bool // in OnlyValid traffic (class E is left out: Linux forwards 240/4)
	}
	ms := []m{
		{ip4(127, 0, 0, 1), true, true}, {ip4(0, 0, 0, 5), true, true},
		{ip4(224, 1, 1, 1), true, true}, {ip4(240, 0, 0, 1), true, false},
		{ip4(255, 255, 255, 255), true, true},
		{ip4(127, 0, 0, 1), false, true}, {ip4(0, 1, 2, 3), false, true},
		{ip4(240, 1, 2, 3), false, false},
	}
	var x m
	for {
		x = ms[g.rng.IntN(len(ms))]
		if x.linux || !g.valid {
			break
		}
	}
	if x.isSrc {
		h := g.hdr(p, g.anyTransit(g.rng), g.ttl())
		h.Src = x.addr
		return g.ipFrame(g.toRouter(p), h, g.portMTU(p))
	}
	return g.transitFrame(p, x.addr, g.ttl())
}
