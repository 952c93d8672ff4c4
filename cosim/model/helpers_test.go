package model

import (
	"encoding/binary"
	"hash/crc32"
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/linerate/linerate/tables"
)

// The test router: four ports, a few router addresses, routes and adjacencies, written by hand
// (no config parser).
var (
	portMAC = []net.HardwareAddr{
		{0x02, 0, 0, 0, 0, 0x10}, {0x02, 0, 0, 0, 0, 0x11},
		{0x02, 0, 0, 0, 0, 0x12}, {0x02, 0, 0, 0, 0, 0x13},
	}
	portMTU = []uint16{1500, 1500, 1000, 9600}

	hostMAC  = net.HardwareAddr{0x02, 0, 0, 0, 0xAA, 0x01} // a host on port 0's link
	otherMAC = net.HardwareAddr{0x02, 0, 0, 0, 0xBB, 0x02} // nobody in particular
	bcastMAC = net.HardwareAddr{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	mcastMAC = net.HardwareAddr{0x01, 0x00, 0x5E, 0x00, 0x00, 0x05}
)

// LPM indexes and adjacency rows of testImage.
const (
	lpmBlackhole  = 0 // 10.66.0.0/16 -> adjBlackhole
	lpmInvalid    = 1 // 203.0.113.128/25, not valid
	lpmRemote     = 2 // 198.51.100.0/24 -> adjRemote
	lpmConnected  = 3 // 192.0.2.0/24 -> adjGlean
	lpmSmallMTU   = 4 // 203.0.113.0/24 -> adjSmallMTU
	lpmTen        = 5 // 10.0.0.0/8 -> adjJumbo
	lpmShadowed   = 6 // 10.1.0.0/16 -> adjShadowed, never wins: index 5 is lower
	lpmAdjPastEnd = 7 // 100.64.0.0/10 -> adj 300, past the 256-row table
	lpmNoPort     = 8 // 100.128.0.0/10 -> adjNoPort
	lpmKind3      = 9 // 172.16.0.0/12 -> adjKind3

	adjRemote    = 1 // forward port 1, MTU 1500
	adjGlean     = 2 // glean, port 0
	adjBlackhole = 3
	adjSmallMTU  = 4 // forward port 2, MTU 1000
	adjJumbo     = 5 // forward port 3, MTU 9000
	adjShadowed  = 6 // forward port 0
	adjNoPort    = 7 // forward port 7, which does not exist
	adjKind3     = 8 // kind 3 (undefined), port 1
	adjPastEnd   = 300
)

func ip4(s string) uint32 { return binary.BigEndian.Uint32(net.ParseIP(s).To4()) }

func testImage() *tables.Image {
	im := tables.NewImage(tables.SimSizes)
	for p := range im.Ports {
		im.Ports[p] = tables.PortEntry{MAC: portMAC[p], MTU: portMTU[p]}
	}
	im.RAddr[0] = tables.RAddrEntry{Valid: true, Addr: ip4("192.0.2.1")}
	im.RAddr[1] = tables.RAddrEntry{Valid: true, Addr: ip4("198.51.100.1")}
	im.RAddr[2] = tables.RAddrEntry{Valid: false, Addr: ip4("203.0.113.99")}

	route := func(i int, valid bool, prefix string, adj uint16) {
		_, n, err := net.ParseCIDR(prefix)
		if err != nil {
			panic(err)
		}
		im.LPM[i] = tables.LPMEntry{Valid: valid, Value: binary.BigEndian.Uint32(n.IP.To4()),
			Mask: binary.BigEndian.Uint32(n.Mask), Adj: adj, Prefix: prefix}
	}
	route(lpmBlackhole, true, "10.66.0.0/16", adjBlackhole)
	route(lpmInvalid, false, "203.0.113.128/25", adjRemote)
	route(lpmRemote, true, "198.51.100.0/24", adjRemote)
	route(lpmConnected, true, "192.0.2.0/24", adjGlean)
	route(lpmSmallMTU, true, "203.0.113.0/24", adjSmallMTU)
	route(lpmTen, true, "10.0.0.0/8", adjJumbo)
	route(lpmShadowed, true, "10.1.0.0/16", adjShadowed)
	route(lpmAdjPastEnd, true, "100.64.0.0/10", adjPastEnd)
	route(lpmNoPort, true, "100.128.0.0/10", adjNoPort)
	route(lpmKind3, true, "172.16.0.0/12", adjKind3)

	fwd := func(j int, kind tables.AdjKind, port uint8, dmac byte, mtu uint16) {
		src := make(net.HardwareAddr, 6)
		if int(port) < len(portMAC) {
			copy(src, portMAC[port])
		}
		im.Adj[j] = tables.AdjEntry{Kind: kind, Port: port,
			DstMAC: net.HardwareAddr{0x02, 0, 0, 0, 0x01, dmac}, SrcMAC: src, MTU: mtu}
	}
	fwd(adjRemote, tables.AdjForward, 1, 0x02, 1500)
	im.Adj[adjGlean] = tables.AdjEntry{Kind: tables.AdjGlean, Port: 0}
	im.Adj[adjBlackhole] = tables.AdjEntry{Kind: tables.AdjBlackhole}
	fwd(adjSmallMTU, tables.AdjForward, 2, 0x04, 1000)
	fwd(adjJumbo, tables.AdjForward, 3, 0x05, 9000)
	fwd(adjShadowed, tables.AdjForward, 0, 0x06, 1500)
	fwd(adjNoPort, tables.AdjForward, 7, 0x07, 1500)
	fwd(adjKind3, 3, 1, 0x08, 1500)
	return im
}

// pkt describes a test frame; build serializes it with gopacket (which pads to 60 bytes).
type pkt struct {
	dmac     net.HardwareAddr // default port 0's MAC
	smac     net.HardwareAddr // default hostMAC
	src, dst string           // IPv4 addresses; default 192.0.2.7 -> 198.51.100.9
	ttl      uint8            // default 64
	payload  int              // UDP payload bytes
	options  bool             // add a 4-byte router-alert option (IHL 6)
}

func (p pkt) build(t testing.TB) []byte {
	t.Helper()
	if p.dmac == nil {
		p.dmac = portMAC[0]
	}
	if p.smac == nil {
		p.smac = hostMAC
	}
	if p.src == "" {
		p.src = "192.0.2.7"
	}
	if p.dst == "" {
		p.dst = "198.51.100.9"
	}
	if p.ttl == 0 {
		p.ttl = 64
	}
	ip := &layers.IPv4{Version: 4, TTL: p.ttl, Id: 0x1234, Flags: layers.IPv4DontFragment,
		Protocol: layers.IPProtocolUDP, SrcIP: net.ParseIP(p.src), DstIP: net.ParseIP(p.dst)}
	if p.options {
		ip.Options = []layers.IPv4Option{{OptionType: 148, OptionLength: 4, OptionData: []byte{0, 0}}}
	}
	udp := &layers.UDP{SrcPort: 40000, DstPort: 7777}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	pay := make([]byte, p.payload)
	for i := range pay {
		pay[i] = byte(i*7 + 1)
	}
	eth := &layers.Ethernet{DstMAC: p.dmac, SrcMAC: p.smac, EthernetType: layers.EthernetTypeIPv4}
	return serialize(t, eth, ip, udp, gopacket.Payload(pay))
}

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// wire appends the FCS computed by hash/crc32 directly (not by the model's helper).
func wire(frame []byte) []byte {
	w := append([]byte(nil), frame...)
	return binary.LittleEndian.AppendUint32(w, crc32.ChecksumIEEE(frame))
}

// patch returns a copy of frame changed by fn, with the IPv4 header checksum recomputed by
// rfc1071 when fix is set.
func patch(frame []byte, fix bool, fn func(b []byte)) []byte {
	b := append([]byte(nil), frame...)
	fn(b)
	if fix {
		fixIPChecksum(b)
	}
	return b
}

// rfc1071 is a straightforward RFC 1071 Internet checksum, written independently of the model:
// the ones-complement of the ones-complement sum of the 16-bit words.
func rfc1071(b []byte) uint16 {
	var sum uint64
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint64(b[i])<<8 | uint64(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint64(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = (sum & 0xFFFF) + (sum >> 16)
	}
	return ^uint16(sum)
}

// fixIPChecksum recomputes the checksum of the IPv4 header at byte 14 as far as it fits.
func fixIPChecksum(b []byte) {
	if len(b) < 26 {
		return
	}
	n := int(b[14]&15) * 4
	if n < 20 || 14+n > len(b) {
		return
	}
	b[24], b[25] = 0, 0
	binary.BigEndian.PutUint16(b[24:], rfc1071(b[14:14+n]))
}

// fcsOK checks a port output's trailing FCS with hash/crc32.
func fcsOK(out []byte) bool {
	if len(out) < 4 {
		return false
	}
	n := len(out) - 4
	return crc32.ChecksumIEEE(out[:n]) == binary.LittleEndian.Uint32(out[n:])
}
