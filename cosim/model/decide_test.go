package model

import (
	"bytes"
	"encoding/binary"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/linerate/linerate/hostdrv/punt"
)

// look is the lookup a punt header should report.
type look struct {
	hit         bool
	lpm, adj    uint16
	egress      uint8
	notLookedUp bool // decided by rules 1-10: zeros and egress 255
}

var notLooked = look{notLookedUp: true}

func hitLook(lpm, adj int, egress uint8) look {
	return look{hit: true, lpm: uint16(lpm), adj: uint16(adj), egress: egress}
}

// missLook: looked up, no entry matched.
var missLook = look{egress: punt.EgressNone}

type ruleCase struct {
	name   string
	port   int
	wire   []byte
	want   punt.Reason
	rule   int
	look   look // for punts
	egress int  // for forwards: the expected OutPort
	adj    int  // for forwards: the adjacency row whose MACs the output carries
}

func arpFrame(t testing.TB, dmac net.HardwareAddr, op uint16) []byte {
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: op,
		SourceHwAddress: hostMAC, SourceProtAddress: net.IPv4(192, 0, 2, 7).To4(),
		DstHwAddress: make([]byte, 6), DstProtAddress: net.IPv4(192, 0, 2, 1).To4()}
	eth := &layers.Ethernet{DstMAC: dmac, SrcMAC: hostMAC, EthernetType: layers.EthernetTypeARP}
	return serialize(t, eth, arp)
}

func ipv6Frame(t testing.TB) []byte {
	ip := &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolUDP, HopLimit: 64,
		SrcIP: net.ParseIP("2001:db8::7"), DstIP: net.ParseIP("ff02::1")}
	udp := &layers.UDP{SrcPort: 1, DstPort: 2}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	eth := &layers.Ethernet{DstMAC: net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}, SrcMAC: hostMAC,
		EthernetType: layers.EthernetTypeIPv6}
	return serialize(t, eth, ip, udp, gopacket.Payload("v6"))
}

func vlanFrame(t testing.TB, et layers.EthernetType) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP,
		SrcIP: net.ParseIP("192.0.2.7"), DstIP: net.ParseIP("198.51.100.9")}
	udp := &layers.UDP{SrcPort: 1, DstPort: 2}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	eth := &layers.Ethernet{DstMAC: portMAC[0], SrcMAC: hostMAC, EthernetType: et}
	tag := &layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeIPv4}
	return serialize(t, eth, tag, ip, udp, gopacket.Payload("tagged"))
}

func rawFrame(t testing.TB, dmac net.HardwareAddr, et layers.EthernetType, n int) []byte {
	eth := &layers.Ethernet{DstMAC: dmac, SrcMAC: hostMAC, EthernetType: et}
	return serialize(t, eth, gopacket.Payload(bytes.Repeat([]byte{0x5A}, n)))
}

// ruleCases has one or more cases for every rule of the decision order, and the precedence
// between neighbouring rules.
func ruleCases(t testing.TB) []ruleCase {
	good := pkt{}.build(t) // 192.0.2.7 -> 198.51.100.9 on port 0, forwarded via adjRemote
	fwd := func(name string, port int, frame []byte, egress, adj int) ruleCase {
		return ruleCase{name: name, port: port, wire: wire(frame), want: punt.Forward, rule: 21, egress: egress, adj: adj}
	}
	pc := func(name string, frame []byte, r punt.Reason, rule int, lk look) ruleCase {
		return ruleCase{name: name, wire: wire(frame), want: r, rule: rule, look: lk}
	}
	drop := func(name string, frame []byte, r punt.Reason, rule int) ruleCase {
		return ruleCase{name: name, wire: wire(frame), want: r, rule: rule}
	}
	badFCS := wire(good)
	badFCS[len(badFCS)-1] ^= 0x01

	cases := []ruleCase{
		// 1 runt
		{name: "runt empty", wire: nil, want: punt.Runt, rule: 1},
		{name: "runt 1 byte", wire: []byte{0xFF}, want: punt.Runt, rule: 1},
		{name: "runt 3 bytes", wire: []byte{1, 2, 3}, want: punt.Runt, rule: 1},
		{name: "runt 4 bytes", wire: wire(nil), want: punt.Runt, rule: 1},
		{name: "runt 63 bytes, good FCS", wire: wire(good[:59]), want: punt.Runt, rule: 1},
		{name: "runt beats bad FCS", wire: append(append([]byte(nil), good[:59]...), 0, 0, 0, 0), want: punt.Runt, rule: 1},
		// 2 giant
		{name: "giant: L = port MTU + 19", wire: wire(pkt{payload: 1519 - 42}.build(t)), want: punt.Giant, rule: 2},
		{name: "giant: port 2 MTU 1000", port: 2, wire: wire(pkt{dmac: portMAC[2], payload: 1019 - 42}.build(t)), want: punt.Giant, rule: 2},
		{name: "giant: L > MAX_FRAME_BYTES on port 3", port: 3, wire: wire(pkt{dmac: portMAC[3], payload: 9601 - 42}.build(t)), want: punt.Giant, rule: 2},
		{name: "giant beats bad FCS", wire: append(pkt{payload: 1519 - 42}.build(t), 1, 2, 3, 4), want: punt.Giant, rule: 2},
		// 3 bad FCS
		{name: "bad FCS", wire: badFCS, want: punt.BadFCS, rule: 3},
		{name: "bad FCS beats wrong dst MAC", wire: append(pkt{dmac: otherMAC}.build(t), 0, 0, 0, 0), want: punt.BadFCS, rule: 3},
		// 4 wrong dst MAC
		drop("wrong dst MAC", pkt{dmac: otherMAC}.build(t), punt.WrongDstMAC, 4),
		drop("wrong dst MAC: another port's MAC", pkt{dmac: portMAC[1]}.build(t), punt.WrongDstMAC, 4),
		drop("wrong dst MAC beats arp", arpFrame(t, otherMAC, 2), punt.WrongDstMAC, 4),
		// 5 vlan
		pc("vlan 802.1Q", vlanFrame(t, layers.EthernetTypeDot1Q), punt.VLAN, 5, notLooked),
		pc("vlan 802.1ad", vlanFrame(t, layers.EthernetTypeQinQ), punt.VLAN, 5, notLooked),
		// 6 arp
		pc("arp broadcast request", arpFrame(t, bcastMAC, 1), punt.ARP, 6, notLooked),
		pc("arp unicast reply", arpFrame(t, portMAC[0], 2), punt.ARP, 6, notLooked),
		// 7 ipv6
		pc("ipv6 multicast", ipv6Frame(t), punt.IPv6, 7, notLooked),
		// 8 non_ip
		pc("non-IP LLDP", rawFrame(t, net.HardwareAddr{1, 0x80, 0xC2, 0, 0, 0x0E}, layers.EthernetTypeLinkLayerDiscovery, 40), punt.NonIP, 8, notLooked),
		pc("non-IP 802.3 length", patch(good, false, func(b []byte) { b[12], b[13] = 0x00, 0x2E }), punt.NonIP, 8, notLooked),
		// 9 bad IP header
		drop("bad header: version 6", patch(good, true, func(b []byte) { b[14] = 0x65 }), punt.BadIPHeader, 9),
		drop("bad header: ihl 4", patch(good, true, func(b []byte) { b[14] = 0x44 }), punt.BadIPHeader, 9),
		drop("bad header: L < 14+4*ihl", patch(good, false, func(b []byte) { b[14] = 0x4F }), punt.BadIPHeader, 9),
		drop("bad header: tot < 4*ihl", patch(good, true, func(b []byte) { b[16], b[17] = 0, 19 }), punt.BadIPHeader, 9),
		drop("bad header: tot > L-14", patch(good, true, func(b []byte) { b[16], b[17] = 0, 47 }), punt.BadIPHeader, 9),
		drop("bad header beats martian", patch(pkt{src: "127.0.0.1"}.build(t), true, func(b []byte) { b[14] = 0x55 }), punt.BadIPHeader, 9),
		// 10 bad IP checksum
		drop("bad checksum", patch(good, false, func(b []byte) { b[25] ^= 0x40 }), punt.BadIPChecksum, 10),
		drop("bad checksum beats martian", patch(pkt{src: "0.0.0.1"}.build(t), false, func(b []byte) { b[24] ^= 1 }), punt.BadIPChecksum, 10),
		drop("bad checksum beats to_me", patch(pkt{dst: "192.0.2.1"}.build(t), false, func(b []byte) { b[24] ^= 1 }), punt.BadIPChecksum, 10),
		// 11 martian
		drop("martian src 0/8", pkt{src: "0.1.2.3"}.build(t), punt.Martian, 11),
		drop("martian src 127/8", pkt{src: "127.0.0.1"}.build(t), punt.Martian, 11),
		drop("martian src multicast", pkt{src: "224.0.0.1"}.build(t), punt.Martian, 11),
		drop("martian src 240/4", pkt{src: "240.0.0.1"}.build(t), punt.Martian, 11),
		drop("martian src limited broadcast", pkt{src: "255.255.255.255"}.build(t), punt.Martian, 11),
		drop("martian dst 0/8", pkt{dst: "0.0.0.1"}.build(t), punt.Martian, 11),
		drop("martian dst 127/8", pkt{dst: "127.1.2.3"}.build(t), punt.Martian, 11),
		drop("martian dst 240/4", pkt{dst: "254.1.2.3"}.build(t), punt.Martian, 11),
		drop("martian beats to_me", pkt{src: "127.0.0.1", dst: "192.0.2.1"}.build(t), punt.Martian, 11),
		drop("martian beats multicast", pkt{src: "0.0.0.0", dst: "224.0.0.9", dmac: mcastMAC}.build(t), punt.Martian, 11),
		// 12 to_me
		pc("to_me", pkt{dst: "192.0.2.1"}.build(t), punt.ToMe, 12, hitLook(lpmConnected, adjGlean, 0)),
		pc("to_me beats ttl", pkt{dst: "192.0.2.1", ttl: 1}.build(t), punt.ToMe, 12, hitLook(lpmConnected, adjGlean, 0)),
		pc("to_me beats L2 broadcast transit", pkt{dst: "198.51.100.1", dmac: bcastMAC}.build(t), punt.ToMe, 12, hitLook(lpmRemote, adjRemote, 1)),
		pc("to_me beats ip options", pkt{dst: "192.0.2.1", options: true}.build(t), punt.ToMe, 12, hitLook(lpmConnected, adjGlean, 0)),
		// 13 multicast
		pc("multicast 224/4", pkt{dst: "224.0.0.5", dmac: mcastMAC}.build(t), punt.Multicast, 13, missLook),
		pc("multicast limited broadcast", pkt{dst: "255.255.255.255", dmac: bcastMAC}.build(t), punt.Multicast, 13, missLook),
		pc("multicast to router MAC", pkt{dst: "239.1.2.3"}.build(t), punt.Multicast, 13, missLook),
		pc("multicast beats ttl", pkt{dst: "224.0.0.5", dmac: mcastMAC, ttl: 1}.build(t), punt.Multicast, 13, missLook),
		// 14 l2_broadcast_transit
		drop("L2 broadcast transit", pkt{dmac: bcastMAC}.build(t), punt.L2BroadcastTransit, 14),
		drop("L2 multicast transit", pkt{dmac: mcastMAC}.build(t), punt.L2BroadcastTransit, 14),
		drop("L2 broadcast beats ip options", pkt{dmac: bcastMAC, options: true}.build(t), punt.L2BroadcastTransit, 14),
		drop("L2 broadcast beats no route", pkt{dmac: bcastMAC, dst: "8.8.8.8"}.build(t), punt.L2BroadcastTransit, 14),
		// 15 ip_options
		pc("ip options", pkt{options: true}.build(t), punt.IPOptions, 15, hitLook(lpmRemote, adjRemote, 1)),
		pc("ip options beats no route", pkt{options: true, dst: "8.8.8.8"}.build(t), punt.IPOptions, 15, missLook),
		pc("ip options beats ttl", pkt{options: true, ttl: 1}.build(t), punt.IPOptions, 15, hitLook(lpmRemote, adjRemote, 1)),
		// 16 no_route
		pc("no route", pkt{dst: "8.8.8.8"}.build(t), punt.NoRoute, 16, missLook),
		pc("no route beats ttl", pkt{dst: "8.8.8.8", ttl: 1}.build(t), punt.NoRoute, 16, missLook),
		// 17 blackhole
		drop("blackhole", pkt{dst: "10.66.1.1"}.build(t), punt.Blackhole, 17),
		drop("blackhole beats ttl", pkt{dst: "10.66.1.1", ttl: 1}.build(t), punt.Blackhole, 17),
		// 18 ttl_expired
		pc("ttl 1", pkt{ttl: 1}.build(t), punt.TTLExpired, 18, hitLook(lpmRemote, adjRemote, 1)),
		pc("ttl 0", patch(good, true, func(b []byte) { b[22] = 0 }), punt.TTLExpired, 18, hitLook(lpmRemote, adjRemote, 1)),
		pc("ttl beats glean", pkt{dst: "192.0.2.50", ttl: 1}.build(t), punt.TTLExpired, 18, hitLook(lpmConnected, adjGlean, 0)),
		pc("ttl beats mtu", pkt{dst: "203.0.113.5", ttl: 1, payload: 1000}.build(t), punt.TTLExpired, 18, hitLook(lpmSmallMTU, adjSmallMTU, 2)),
		// 19 glean
		pc("glean", pkt{dst: "192.0.2.50"}.build(t), punt.Glean, 19, hitLook(lpmConnected, adjGlean, 0)),
		pc("glean beats mtu (glean row has MTU 0)", pkt{dst: "192.0.2.50", payload: 100}.build(t), punt.Glean, 19, hitLook(lpmConnected, adjGlean, 0)),
		pc("glean: adjacency index past the table", pkt{dst: "100.64.0.1"}.build(t), punt.Glean, 19, hitLook(lpmAdjPastEnd, adjPastEnd, 0)),
		// 20 mtu_exceeded
		pc("mtu exceeded: tot 1001 > 1000", pkt{dst: "203.0.113.5", payload: 1001 - 28}.build(t), punt.MTUExceeded, 20, hitLook(lpmSmallMTU, adjSmallMTU, 2)),
		pc("mtu exceeded without DF", patch(pkt{dst: "203.0.113.5", payload: 1001 - 28}.build(t), true, func(b []byte) { b[20] = 0 }), punt.MTUExceeded, 20, hitLook(lpmSmallMTU, adjSmallMTU, 2)),
		// 21 forward
		fwd("forward", 0, good, 1, adjRemote),
		fwd("forward: tot = adj MTU", 0, pkt{dst: "203.0.113.5", payload: 1000 - 28}.build(t), 2, adjSmallMTU),
		fwd("forward: L = port MTU + 18", 0, pkt{payload: 1518 - 42, dst: "10.9.9.9"}.build(t), 3, adjJumbo),
		fwd("forward: invalid raddr entry is no router address", 0, pkt{dst: "203.0.113.99"}.build(t), 2, adjSmallMTU),
		fwd("forward: invalid LPM entry is skipped", 0, pkt{dst: "203.0.113.200"}.build(t), 2, adjSmallMTU),
		fwd("forward: lowest index wins, not longest prefix", 0, pkt{dst: "10.1.2.3"}.build(t), 3, adjJumbo),
		fwd("forward: kind 3 forwards (rule 21: otherwise)", 0, pkt{dst: "172.16.0.1"}.build(t), 1, adjKind3),
		fwd("forward: ttl 2", 0, pkt{ttl: 2}.build(t), 1, adjRemote),
		fwd("forward: from port 3", 3, pkt{dmac: portMAC[3], payload: 1500 - 28}.build(t), 1, adjRemote),
		fwd("forward: jumbo to port 3", 3, pkt{dmac: portMAC[3], dst: "10.0.0.1", payload: 9000 - 28}.build(t), 3, adjJumbo),
		fwd("forward: from port 1 back out of port 1", 1, pkt{dmac: portMAC[1]}.build(t), 1, adjRemote),
	}
	for i := range cases {
		if cases[i].look == (look{}) && cases[i].want.IsPunt() {
			t.Fatalf("%s: punt case without lookup", cases[i].name)
		}
	}
	return cases
}

func TestDecisionOrder(t *testing.T) {
	im := testImage()
	m := New(im, Options{Trace: true})
	seen := map[punt.Reason]bool{}
	rules := map[int]bool{}
	for _, c := range ruleCases(t) {
		t.Run(c.name, func(t *testing.T) {
			before := m.Counters()
			r := m.Receive(c.port, c.wire)
			if r.Reason != c.want {
				t.Fatalf("reason %v, want %v\n%s", r.Reason, c.want, traceString(r))
			}
			seen[r.Reason] = true
			rules[c.rule] = true
			if r.InPort != c.port {
				t.Errorf("InPort %d", r.InPort)
			}
			if d := findStep(r, "decide"); !strings.HasPrefix(d, "rule "+strconv.Itoa(c.rule)+":") {
				t.Errorf("decide step %q, want rule %d", d, c.rule)
			}
			l := len(c.wire) - 4
			switch {
			case c.want == punt.Forward:
				if r.OutPort != c.egress || r.ToCPU {
					t.Fatalf("OutPort %d ToCPU %v, want port %d", r.OutPort, r.ToCPU, c.egress)
				}
				checkForward(t, c.wire[:l], r.Out, im.Adj[c.adj].DstMAC, im.Adj[c.adj].SrcMAC)
			case c.want.IsPunt():
				if !r.ToCPU || r.OutPort != -1 {
					t.Fatalf("ToCPU %v OutPort %d", r.ToCPU, r.OutPort)
				}
				want := punt.Header{Seq: r.Punt.Seq, Version: 1, Reason: c.want, InPort: uint8(c.port),
					LPMHit: c.look.hit, LPMIndex: c.look.lpm, AdjIndex: c.look.adj, Egress: c.look.egress,
					Length: uint16(l)}
				if c.look.notLookedUp {
					want.Egress = punt.EgressNone
				}
				if r.Punt != want {
					t.Errorf("punt header\n got %+v\nwant %+v", r.Punt, want)
				}
				if r.Punt.Seq != before.CPUFrames {
					t.Errorf("seq %d, want %d", r.Punt.Seq, before.CPUFrames)
				}
				if !bytes.Equal(r.Out, append(want.Marshal(), c.wire[:l]...)) {
					t.Errorf("CPU output is not header + original frame")
				}
			default:
				if r.Out != nil || r.ToCPU || r.OutPort != -1 {
					t.Errorf("drop has output: Out %d bytes ToCPU %v OutPort %d", len(r.Out), r.ToCPU, r.OutPort)
				}
			}
			after := m.Counters()
			if after.Reason[c.want] != before.Reason[c.want]+1 {
				t.Errorf("reason counter %v not incremented", c.want)
			}
		})
	}
	for _, r := range punt.Reasons() {
		if !seen[r] && r != punt.PuntPoliced {
			t.Errorf("no case for reason %v", r)
		}
	}
	for i := 1; i <= 21; i++ {
		if !rules[i] {
			t.Errorf("no case for rule %d", i)
		}
	}
}

// checkForward checks a port output against an independent rewrite of the input frame: MACs,
// TTL-1, a checksum recomputed in full (rfc1071, and gopacket on a re-serialized header),
// trimmed to the IP total length, padded with zeros to 60, FCS by hash/crc32.
func checkForward(t *testing.T, in, out []byte, dmac, smac net.HardwareAddr) {
	t.Helper()
	if !fcsOK(out) {
		t.Fatalf("bad FCS on output")
	}
	tot := int(binary.BigEndian.Uint16(in[16:18]))
	ihl := int(in[14]&15) * 4
	want := append([]byte(nil), in[:14+tot]...)
	copy(want[0:6], dmac)
	copy(want[6:12], smac)
	want[22]--
	want[24], want[25] = 0, 0
	binary.BigEndian.PutUint16(want[24:26], rfc1071(want[14:14+ihl]))
	for len(want) < 60 {
		want = append(want, 0)
	}
	got := out[:len(out)-4]
	if !bytes.Equal(got, want) {
		t.Fatalf("output differs from independent rewrite\n got % x\nwant % x", head(got), head(want))
	}

	// gopacket's full checksum of the re-serialized output header agrees.
	p := gopacket.NewPacket(got, layers.LayerTypeEthernet, gopacket.NoCopy)
	ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	if !ok {
		t.Fatalf("output does not decode as IPv4: %v", p)
	}
	buf := gopacket.NewSerializeBuffer()
	if err := ip.SerializeTo(buf, gopacket.SerializeOptions{ComputeChecksums: true}); err != nil {
		t.Fatal(err)
	}
	if g := binary.BigEndian.Uint16(buf.Bytes()[10:12]); g != binary.BigEndian.Uint16(got[24:26]) {
		t.Errorf("checksum %04x, gopacket recomputes %04x", binary.BigEndian.Uint16(got[24:26]), g)
	}
	if !IPChecksumOK(got[14 : 14+ihl]) {
		t.Errorf("output checksum invalid")
	}
}

func head(b []byte) []byte {
	if len(b) > 64 {
		return b[:64]
	}
	return b
}

func findStep(r Result, stage string) string {
	for _, s := range r.Trace {
		if s.Stage == stage {
			return s.Note
		}
	}
	return ""
}

func traceString(r Result) string {
	var sb strings.Builder
	for _, s := range r.Trace {
		sb.WriteString("  " + s.String() + "\n")
	}
	return sb.String()
}
