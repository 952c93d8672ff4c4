package router

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/ip4defrag"
	"github.com/google/gopacket/layers"

	"github.com/linerate/linerate/cosim/model"
	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

const demoConf = "../../test/configs/demo.conf"

var (
	t0      = time.Unix(1_000_000, 0)
	hostMAC = net.HardwareAddr{2, 0, 0, 0, 1, 0x0a} // 192.0.2.10 on port0, a configured neighbour
	hostIP  = net.IP{192, 0, 2, 10}
	rxMAC   = net.HardwareAddr{2, 0, 0, 0, 1, 0x99} // R-X, 198.51.100.99, unknown to the configuration
)

// bench is the demo router: its configuration, the data plane (golden model) and the slow path.
type bench struct {
	t     *testing.T
	cfg   *tables.Config
	dp    *model.Model
	stack *Stack
}

func newBench(t *testing.T, opt Options) *bench {
	t.Helper()
	cfg, err := tables.LoadConfig(demoConf, tables.SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	b := &bench{t: t, cfg: cfg, stack: New(cfg, opt)}
	b.reload()
	return b
}

// reload compiles what the stack wants into the data plane, as the daemon does.
func (b *bench) reload() {
	im, err := tables.Compile(b.stack.Config(), tables.SimSizes)
	if err != nil {
		b.t.Fatal(err)
	}
	b.dp = model.New(im, model.Options{})
}

// in sends a frame into the data plane; a punt goes to the slow path, whose frames it returns.
func (b *bench) in(now time.Time, port int, frame []byte) (model.Result, []Output) {
	r := b.dp.Receive(port, model.AppendFCS(append([]byte(nil), frame...)))
	if !r.ToCPU {
		return r, nil
	}
	return r, b.stack.Handle(now, r.Punt, r.Out[punt.HeaderLen:])
}

func routerMAC(p int) net.HardwareAddr { return net.HardwareAddr{2, 0, 0, 0, 0, byte(0x10 + p)} }

// ipFrame builds an Ethernet/IPv4 frame to the router's MAC on port p.
func ipFrame(t *testing.T, p int, src, dst net.IP, ttl uint8, df bool, l4 ...gopacket.SerializableLayer) []byte {
	t.Helper()
	ip := &layers.IPv4{Version: 4, TTL: ttl, Id: 0x4242, SrcIP: src, DstIP: dst, Protocol: layers.IPProtocolUDP}
	if df {
		ip.Flags = layers.IPv4DontFragment
	}
	switch l4[0].(type) {
	case *layers.ICMPv4:
		ip.Protocol = layers.IPProtocolICMPv4
	case *layers.TCP:
		ip.Protocol = layers.IPProtocolTCP
	}
	for _, l := range l4 {
		switch x := l.(type) {
		case *layers.UDP:
			x.SetNetworkLayerForChecksum(ip)
		case *layers.TCP:
			x.SetNetworkLayerForChecksum(ip)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	ls := append([]gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: hostMAC, DstMAC: routerMAC(p), EthernetType: layers.EthernetTypeIPv4}, ip}, l4...)
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func udp(n int) []gopacket.SerializableLayer {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i * 7)
	}
	return []gopacket.SerializableLayer{&layers.UDP{SrcPort: 4000, DstPort: 5001}, gopacket.Payload(p)}
}

func arpFrame(op uint16, sha net.HardwareAddr, spa net.IP, dst net.HardwareAddr, tha net.HardwareAddr, tpa net.IP) []byte {
	buf := gopacket.NewSerializeBuffer()
	gopacket.SerializeLayers(buf, gopacket.SerializeOptions{},
		&layers.Ethernet{SrcMAC: sha, DstMAC: dst, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: op, SourceHwAddress: sha, SourceProtAddress: spa.To4(), DstHwAddress: tha, DstProtAddress: tpa.To4()})
	return buf.Bytes()
}

func decode(f []byte) gopacket.Packet {
	return gopacket.NewPacket(f, layers.LayerTypeEthernet, gopacket.Default)
}

// checkIPv4 checks an output's IPv4 header checksum and, for ICMP, the ICMP checksum.
func checkIPv4(t *testing.T, f []byte) {
	t.Helper()
	ip := f[14:]
	hl := int(ip[0]&15) * 4
	if !model.IPChecksumOK(ip[:hl]) {
		t.Errorf("bad IP header checksum: % x", ip[:hl])
	}
	if ip[9] == protoICMP && checksum(onesSum(0, ip[hl:binary.BigEndian.Uint16(ip[2:])])) != 0 {
		t.Errorf("bad ICMP checksum")
	}
}

// TestGleanResolvesAndInstalls: a packet for a next hop without a MAC is held while the slow
// path ARPs for it; the reply releases it, forwarded exactly as the data plane forwards the
// next one once the neighbour is installed.
func TestGleanResolvesAndInstalls(t *testing.T) {
	b := newBench(t, Options{})
	pkt := ipFrame(t, 0, hostIP, net.IP{10, 77, 1, 1}, 64, false, udp(100)...)
	r, out := b.in(t0, 0, pkt)
	if r.Reason != punt.Glean || len(out) != 1 || out[0].Port != 1 {
		t.Fatalf("glean: %v, outputs %+v", r.Reason, out)
	}
	a, _ := decode(out[0].Frame).Layer(layers.LayerTypeARP).(*layers.ARP)
	if a == nil || a.Operation != layers.ARPRequest || !net.IP(a.DstProtAddress).Equal(net.IP{198, 51, 100, 99}) ||
		!net.IP(a.SourceProtAddress).Equal(net.IP{198, 51, 100, 1}) || !bytes.Equal(a.SourceHwAddress, routerMAC(1)) ||
		!bytes.Equal(out[0].Frame[:6], []byte{255, 255, 255, 255, 255, 255}) {
		t.Fatalf("ARP request: %v", decode(out[0].Frame))
	}
	gen := b.stack.Generation()
	// a second packet is held too, without another request
	pkt2 := ipFrame(t, 0, hostIP, net.IP{10, 77, 1, 2}, 64, false, udp(20)...)
	if _, out := b.in(t0, 0, pkt2); len(out) != 0 {
		t.Fatalf("second glean sent %+v", out)
	}
	reply := arpFrame(2, rxMAC, net.IP{198, 51, 100, 99}, routerMAC(1), routerMAC(1), net.IP{198, 51, 100, 1})
	r, out = b.in(t0.Add(time.Millisecond), 1, reply)
	if r.Reason != punt.ARP || len(out) != 2 {
		t.Fatalf("ARP reply: %v, %d outputs", r.Reason, len(out))
	}
	if b.stack.Generation() == gen {
		t.Fatal("learning a next hop did not change the generation")
	}
	b.reload()
	for i, p := range [][]byte{pkt, pkt2} {
		hw := b.dp.Receive(0, model.AppendFCS(append([]byte(nil), p...)))
		if hw.Reason != punt.Forward || hw.OutPort != 1 {
			t.Fatalf("after install, the data plane decides %v", hw.Reason)
		}
		want := hw.Out[:len(out[i].Frame)]
		if out[i].Port != 1 || !bytes.Equal(out[i].Frame, want) {
			t.Errorf("released packet %d differs from the data plane's forwarding:\n got % x\nwant % x", i, out[i].Frame, want)
		}
	}
	if ns := b.stack.Neighbors(); len(ns) != 1 || ns[0].State != "reachable" || !bytes.Equal(ns[0].MAC, rxMAC) {
		t.Errorf("neighbours: %+v", ns)
	}
}

// TestGleanFails: three requests a second apart, then host unreachable for the held packet,
// quoting it as it would have left (TTL already decremented).
func TestGleanFails(t *testing.T) {
	b := newBench(t, Options{})
	pkt := ipFrame(t, 0, hostIP, net.IP{10, 77, 1, 1}, 64, false, udp(100)...)
	_, out := b.in(t0, 0, pkt)
	requests := len(out)
	var last []Output
	for i := 0; i < 10; i++ {
		next, ok := b.stack.NextTick()
		if !ok {
			break
		}
		last = b.stack.Tick(next)
		for _, o := range last {
			if o.What == "arp request" {
				requests++
			}
		}
	}
	if requests != 3 {
		t.Errorf("%d ARP requests, want 3", requests)
	}
	var unreach *Output
	for i := range last {
		if last[i].What == "icmp host unreachable" {
			unreach = &last[i]
		}
	}
	if unreach == nil || unreach.Port != 0 || !bytes.Equal(unreach.Frame[:6], hostMAC) {
		t.Fatalf("no host unreachable to the sender: %+v", last)
	}
	checkIPv4(t, unreach.Frame)
	p := decode(unreach.Frame)
	ic, _ := p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
	ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	if ic == nil || ic.TypeCode != layers.CreateICMPv4TypeCode(3, 1) || !ip.SrcIP.Equal(net.IP{192, 0, 2, 1}) || ip.TTL != 64 {
		t.Fatalf("host unreachable: %v", p)
	}
	if quoted := ic.Payload; quoted[8] != 63 || !bytes.Equal(quoted[12:20], pkt[26:34]) {
		t.Errorf("quoted header: % x", quoted[:20])
	}
	if ns := b.stack.Neighbors(); len(ns) != 0 {
		t.Errorf("failed resolution left %+v", ns)
	}
}

// TestFragmentsReassemble: a DF-clear packet above the egress MTU is cut into fragments that
// gopacket's defragmenter (an independent implementation) reassembles into the packet as the
// data plane would have forwarded it; with DF set, frag-needed carries the MTU.
func TestFragmentsReassemble(t *testing.T) {
	b := newBench(t, Options{})
	dst := net.IP{203, 0, 113, 30} // port2, MTU 1400, a configured neighbour
	pkt := ipFrame(t, 0, hostIP, dst, 64, false, udp(1460)...)
	r, out := b.in(t0, 0, pkt)
	if r.Reason != punt.MTUExceeded || len(out) != 2 {
		t.Fatalf("%v, %d outputs", r.Reason, len(out))
	}
	d := ip4defrag.NewIPv4Defragmenter()
	var whole *layers.IPv4
	for i, o := range out {
		checkIPv4(t, o.Frame)
		ip, _ := decode(o.Frame).Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		if o.Port != 2 || int(ip.Length) > 1400 || (i == 0 && (ip.Length-20)%8 != 0) || ip.TTL != 63 {
			t.Errorf("fragment %d: port%d len %d ttl %d", i, o.Port, ip.Length, ip.TTL)
		}
		w, err := d.DefragIPv4(ip)
		if err != nil {
			t.Fatal(err)
		}
		if w != nil {
			whole = w
		}
	}
	if whole == nil || !bytes.Equal(whole.Payload, pkt[34:]) {
		t.Fatal("fragments do not reassemble into the packet")
	}

	df := ipFrame(t, 0, hostIP, dst, 64, true, udp(1450)...)
	_, out = b.in(t0, 0, df)
	if len(out) != 1 {
		t.Fatalf("DF: %+v", out)
	}
	ic, _ := decode(out[0].Frame).Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
	if ic == nil || ic.TypeCode != layers.CreateICMPv4TypeCode(3, 4) || ic.Seq != 1400 {
		t.Fatalf("frag needed: %v", decode(out[0].Frame))
	}
	checkIPv4(t, out[0].Frame)
}

// TestLearnedNeighbourAgesOut: a host that ARPs for the router is answered and learned; when
// it stays silent after ReachableTime, it is probed by unicast and then removed.
func TestLearnedNeighbourAgesOut(t *testing.T) {
	b := newBench(t, Options{ReachableTime: 30 * time.Second})
	mac := net.HardwareAddr{2, 0, 0, 0, 0xaa, 0x77}
	req := arpFrame(1, mac, net.IP{192, 0, 2, 77}, net.HardwareAddr{255, 255, 255, 255, 255, 255}, make(net.HardwareAddr, 6), net.IP{192, 0, 2, 1})
	_, out := b.in(t0, 0, req)
	if len(out) != 1 || out[0].What != "arp reply" || !bytes.Equal(out[0].Frame[:6], mac) {
		t.Fatalf("reply: %+v", out)
	}
	a, _ := decode(out[0].Frame).Layer(layers.LayerTypeARP).(*layers.ARP)
	if a.Operation != layers.ARPReply || !bytes.Equal(a.SourceHwAddress, routerMAC(0)) || !net.IP(a.SourceProtAddress).Equal(net.IP{192, 0, 2, 1}) {
		t.Fatalf("reply: %v", a)
	}
	gen := b.stack.Generation()
	if gen == 0 {
		t.Fatal("the requester was not learned")
	}
	b.reload()
	if r := b.dp.Receive(1, model.AppendFCS(ipFrame(t, 1, net.IP{198, 51, 100, 20}, net.IP{192, 0, 2, 77}, 64, false, udp(10)...))); r.Reason != punt.Forward {
		t.Fatalf("learned host not in the data plane: %v", r.Reason)
	}
	next, _ := b.stack.NextTick()
	if next.Sub(t0) != 30*time.Second {
		t.Fatalf("first probe due after %v", next.Sub(t0))
	}
	probes := 0
	for i := 0; i < 10 && b.stack.Generation() == gen; i++ {
		next, _ = b.stack.NextTick()
		for _, o := range b.stack.Tick(next) {
			if o.What == "arp request" && bytes.Equal(o.Frame[:6], mac) {
				probes++
			}
		}
	}
	if probes != 3 || b.stack.Generation() == gen {
		t.Fatalf("%d unicast probes, generation %d -> %d", probes, gen, b.stack.Generation())
	}
	b.reload()
	if r := b.dp.Receive(1, model.AppendFCS(ipFrame(t, 1, net.IP{198, 51, 100, 20}, net.IP{192, 0, 2, 77}, 64, false, udp(10)...))); r.Reason != punt.Glean {
		t.Fatalf("forgotten host still forwarded: %v", r.Reason)
	}
}

// TestLocalDelivery: echo reply, port unreachable, TCP reset.
func TestLocalDelivery(t *testing.T) {
	b := newBench(t, Options{})
	router := net.IP{10, 0, 0, 1} // port3's address, reached through port0
	_, out := b.in(t0, 0, ipFrame(t, 0, hostIP, router, 64, false, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 3}, gopacket.Payload("hello")))
	if len(out) != 1 || out[0].What != "icmp echo reply" || out[0].Port != 0 {
		t.Fatalf("echo: %+v", out)
	}
	checkIPv4(t, out[0].Frame)
	p := decode(out[0].Frame)
	if ic, _ := p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4); ic == nil || ic.Id != 7 || ic.Seq != 3 || string(ic.Payload) != "hello" {
		t.Fatalf("echo reply: %v", p)
	}
	if ip := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); !ip.SrcIP.Equal(router) || !ip.DstIP.Equal(hostIP) {
		t.Fatalf("echo reply addresses: %v", ip)
	}

	_, out = b.in(t0, 0, ipFrame(t, 0, hostIP, router, 64, false, udp(10)...))
	if len(out) != 1 || out[0].What != "icmp port unreachable" {
		t.Fatalf("udp: %+v", out)
	}
	checkIPv4(t, out[0].Frame)

	syn := &layers.TCP{SrcPort: 40000, DstPort: 22, Seq: 1000, SYN: true, Window: 100}
	_, out = b.in(t0, 0, ipFrame(t, 0, hostIP, router, 64, false, syn))
	if len(out) != 1 || out[0].What != "tcp reset" {
		t.Fatalf("tcp: %+v", out)
	}
	checkIPv4(t, out[0].Frame)
	tcp, _ := decode(out[0].Frame).Layer(layers.LayerTypeTCP).(*layers.TCP)
	if tcp == nil || !tcp.RST || !tcp.ACK || tcp.Ack != 1001 || tcp.SrcPort != 22 || tcp.DstPort != 40000 {
		t.Fatalf("reset: %v", tcp)
	}
	ip := out[0].Frame[14:34]
	if checksum(onesSum(pseudoSum(netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20])), protoTCP, 20), out[0].Frame[34:54])) != 0 {
		t.Error("bad TCP checksum")
	}
}

// TestICMPRateLimit: a burst of 6 errors per destination, then one a second.
func TestICMPRateLimit(t *testing.T) {
	b := newBench(t, Options{})
	sent := func(now time.Time, n int) int {
		c := 0
		for i := 0; i < n; i++ {
			_, out := b.in(now, 0, ipFrame(t, 0, hostIP, net.IP{10, 1, 9, 9}, 1, false, udp(10)...))
			c += len(out)
		}
		return c
	}
	if n := sent(t0, 10); n != 6 {
		t.Errorf("burst: %d time exceeded, want 6", n)
	}
	if n := sent(t0.Add(1500*time.Millisecond), 10); n != 1 {
		t.Errorf("after 1.5 s: %d, want 1", n)
	}
	if b.stack.Stats().ICMPLimited != 13 {
		t.Errorf("limited %d, want 13", b.stack.Stats().ICMPLimited)
	}
}
