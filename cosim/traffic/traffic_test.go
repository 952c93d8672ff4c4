package traffic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"reflect"
	"sort"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/linerate/linerate/hostdrv/punt"
	"github.com/linerate/linerate/tables"
)

func mustMAC(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func addr(s string) uint32 { return binary.BigEndian.Uint32(net.ParseIP(s).To4()) }

// testImage is a 4-port router built by hand: port 1 takes jumbo frames, port 2 has a small
// MTU; forward, glean and blackhole routes, nested prefixes, no default route unless asked.
func testImage(withDefault bool) *tables.Image {
	im := tables.NewImage(tables.SimSizes)
	mtus := []uint16{1500, 9000, 1400, 1500}
	for p := range im.Ports {
		im.Ports[p] = tables.PortEntry{MAC: mustMAC(fmt.Sprintf("02:00:00:00:00:1%d", p)), MTU: mtus[p]}
	}
	for i, a := range []string{"192.0.2.1", "198.51.100.1", "203.0.113.1", "10.0.0.1"} {
		im.RAddr[i] = tables.RAddrEntry{Valid: true, Addr: addr(a)}
	}
	fwd := func(row, port int) {
		im.Adj[row] = tables.AdjEntry{Kind: tables.AdjForward, Port: uint8(port),
			DstMAC: mustMAC(fmt.Sprintf("02:00:00:00:01:%02x", row)), SrcMAC: im.Ports[port].MAC, MTU: mtus[port]}
	}
	fwd(1, 0)
	fwd(2, 1)
	fwd(3, 2)
	fwd(4, 3)
	im.Adj[5] = tables.AdjEntry{Kind: tables.AdjGlean, Port: 1, DstMAC: make(net.HardwareAddr, 6), SrcMAC: make(net.HardwareAddr, 6)}
	im.Adj[6] = tables.AdjEntry{Kind: tables.AdjBlackhole, DstMAC: make(net.HardwareAddr, 6), SrcMAC: make(net.HardwareAddr, 6)}
	im.Adj[7] = tables.AdjEntry{Kind: tables.AdjGlean, Port: 0, DstMAC: make(net.HardwareAddr, 6), SrcMAC: make(net.HardwareAddr, 6)}
	routes := []struct {
		prefix string
		adj    uint16
	}{ // longest first, as the compiler orders them
		{"10.1.2.130/32", 1},
		{"192.0.2.10/32", 1},
		{"10.1.2.128/25", 3},
		{"10.1.2.0/24", 2},
		{"192.0.2.0/24", 7},
		{"198.51.100.0/24", 5},
		{"203.0.113.0/24", 3},
		{"10.66.0.0/16", 6},
		{"10.1.0.0/16", 1},
		{"172.16.0.0/12", 2},
		{"10.0.0.0/8", 4},
	}
	if withDefault {
		routes = append(routes, struct {
			prefix string
			adj    uint16
		}{"0.0.0.0/0", 4})
	}
	for i, r := range routes {
		_, n, err := net.ParseCIDR(r.prefix)
		if err != nil {
			panic(err)
		}
		im.LPM[i] = tables.LPMEntry{Valid: true, Value: binary.BigEndian.Uint32(n.IP.To4()),
			Mask: binary.BigEndian.Uint32(n.Mask), Adj: r.adj, Prefix: r.prefix}
	}
	return im
}

// checkKinds fails for every frame whose decision (decide) is not its Kind.
func checkKinds(t *testing.T, im *tables.Image, frames []Frame) map[string]int {
	t.Helper()
	count := map[string]int{}
	bad := 0
	for i, f := range frames {
		count[f.Kind]++
		if got, _ := decide(im, f.Port, f.Data, f.BadFCS); got != f.Kind {
			if bad++; bad <= 10 {
				t.Errorf("frame %d (port %d, %d bytes): kind %s, decided %s\n% x", i, f.Port, len(f.Data), f.Kind, got, f.Data[:min(len(f.Data), 64)])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d frames are not what their kind says", bad, len(frames))
	}
	return count
}

func TestMixEveryReason(t *testing.T) {
	im := testImage(false)
	frames := Mix(im, 1, 2000, MixOptions{})
	if len(frames) != 2000 {
		t.Fatalf("%d frames, want 2000", len(frames))
	}
	count := checkKinds(t, im, frames)
	for _, r := range punt.Reasons() {
		if r == punt.PuntPoliced {
			continue // no policer yet
		}
		if count[r.String()] == 0 {
			t.Errorf("no frame of kind %s", r)
		}
	}
	if len(count) != len(Kinds()) {
		t.Errorf("kinds made: %v", count)
	}
	t.Logf("kinds: %v", count)
}

// TestMixVariants: the sizes and the variants of each kind that the brief of each rule asks
// for all come up.
func TestMixVariants(t *testing.T) {
	im := testImage(false)
	frames := Mix(im, 2, 4000, MixOptions{})
	sizes := map[int]bool{}
	seen := map[string]bool{}
	see := func(s string, args ...any) { seen[fmt.Sprintf(s, args...)] = true }
	for _, f := range frames {
		d := f.Data
		switch f.Kind {
		case KindForward:
			sizes[len(d)] = true
			if len(d) > 1514 {
				see("jumbo")
			}
			if tot := ipTot(d); tot < len(d)-14 {
				see("padded")
			}
			see("proto %d", d[23])
			_, out := decide(im, f.Port, d, false)
			see("egress %d", out)
		case KindTTLExpired:
			see("ttl %d", d[22])
		case KindMTUExceeded:
			see("df %v", d[20]&0x40 != 0)
		case KindRunt:
			if len(d) <= 3 {
				see("runt %d", len(d))
			}
		case KindMulticast:
			see("group %d.%d.%d.%d", d[30], d[31], d[32], d[33])
		case KindMartian:
			see("martian %d.%d.%d.%d > %d.%d.%d.%d", d[26], d[27], d[28], d[29], d[30], d[31], d[32], d[33])
		case KindBadIPHeader:
			ver, ihl, tot := int(d[14]>>4), int(d[14]&15), ipTot(d)
			switch {
			case ver != 4:
				see("bad version")
			case ihl < 5:
				see("bad ihl")
			case len(d) < 14+4*ihl:
				see("short header")
			case tot < 4*ihl:
				see("tot < ihl")
			case tot > len(d)-14:
				see("tot > frame")
			}
		case KindIPOptions:
			see("ihl %d", d[14]&15)
		case KindGiant:
			if len(d) > MaxFrameBytes {
				see("giant over max")
			}
		case KindNonIP:
			see("ethertype %04x", binary.BigEndian.Uint16(d[12:14]))
		case KindVLAN:
			see("tpid %04x", binary.BigEndian.Uint16(d[12:14]))
		}
	}
	for s := 60; s <= 128; s++ {
		if !sizes[s] {
			t.Errorf("no forwarded frame of %d bytes", s)
		}
	}
	for _, s := range []string{
		"jumbo", "padded", "proto 1", "proto 6", "proto 17", "egress 0", "egress 1", "egress 2", "egress 3",
		"ttl 0", "ttl 1", "df true", "df false", "runt 1", "runt 2", "runt 3",
		"group 224.0.0.5", "group 239.1.2.3", "group 255.255.255.255",
		"bad version", "bad ihl", "short header", "tot < ihl", "tot > frame",
		"ihl 6", "ihl 15", "giant over max", "ethertype 88cc", "ethertype 0026",
		"tpid 8100", "tpid 88a8",
	} {
		if !seen[s] {
			t.Errorf("no frame with %s", s)
		}
	}
	for _, a := range []string{"127.0.0.1", "0.0.0.5", "224.1.1.1", "240.0.0.1"} {
		found := false
		for s := range seen {
			if len(s) > 8 && s[:8] == "martian " && bytes.HasPrefix([]byte(s[8:]), []byte(a+" ")) {
				found = true
			}
		}
		if !found {
			t.Errorf("no martian from %s", a)
		}
	}
	for _, a := range []string{"127.0.0.1", "0.1.2.3", "240.1.2.3"} {
		found := false
		for s := range seen {
			if len(s) > 8 && s[:8] == "martian " && bytes.HasSuffix([]byte(s), []byte("> "+a)) {
				found = true
			}
		}
		if !found {
			t.Errorf("no martian to %s", a)
		}
	}
}

func TestMixOnlyValid(t *testing.T) {
	im := testImage(false)
	frames := Mix(im, 3, 2000, MixOptions{OnlyValid: true})
	count := checkKinds(t, im, frames)
	for k := range count {
		if !validKinds[k] {
			t.Errorf("OnlyValid made %d frames of kind %s", count[k], k)
		}
	}
	for k := range validKinds {
		if count[k] == 0 {
			t.Errorf("OnlyValid made no frame of kind %s", k)
		}
	}
	for i, f := range frames {
		mtu := int(im.Ports[f.Port].MTU)
		if f.BadFCS || len(f.Data) < 60 || len(f.Data) > mtu+18 {
			t.Errorf("frame %d (%s): %d bytes on port %d, bad FCS %v", i, f.Kind, len(f.Data), f.Port, f.BadFCS)
		}
		if tot := ipTot(f.Data); tot > mtu {
			t.Errorf("frame %d (%s): IP packet of %d bytes, port MTU %d", i, f.Kind, tot, mtu)
		}
		if f.Kind == KindMartian && (f.Data[26]>>4 == 15 && f.Data[26] != 255 || f.Data[30]>>4 == 15) {
			t.Errorf("frame %d: class E martian, which Linux forwards", i)
		}
	}
}

func TestMixDefaultRoute(t *testing.T) {
	im := testImage(true)
	count := checkKinds(t, im, Mix(im, 4, 1500, MixOptions{}))
	if count[KindNoRoute] != 0 {
		t.Errorf("%d no_route frames with a default route", count[KindNoRoute])
	}
	if count[KindForward] == 0 || count[KindGlean] == 0 || count[KindBlackhole] == 0 {
		t.Errorf("kinds: %v", count)
	}
}

func TestMixOptions(t *testing.T) {
	im := testImage(false)
	frames := Mix(im, 5, 500, MixOptions{Ports: []int{1, 3, 99}})
	for _, f := range frames {
		if f.Port != 1 && f.Port != 3 {
			t.Fatalf("frame on port %d", f.Port)
		}
	}
	frames = Mix(im, 5, 300, MixOptions{Weights: map[string]int{KindGlean: 1, KindRunt: 3}})
	count := checkKinds(t, im, frames)
	if len(frames) != 300 || len(count) != 2 || count[KindRunt] < count[KindGlean] {
		t.Errorf("weights: %v", count)
	}
	// Kinds the image cannot make are drawn on ports where they are possible (mtu_exceeded
	// from port 2 needs a route with an MTU below 1400+4) or not at all.
	frames = Mix(testImage(true), 5, 10, MixOptions{Weights: map[string]int{KindNoRoute: 1}})
	if frames != nil {
		t.Errorf("no_route with a default route: %d frames", len(frames))
	}
	if Mix(im, 1, 10, MixOptions{Ports: []int{7}}) != nil || Mix(nil, 1, 10, MixOptions{}) != nil {
		t.Error("frames without a usable port")
	}
}

func TestDeterministic(t *testing.T) {
	im := testImage(false)
	a, b := Mix(im, 42, 300, MixOptions{}), Mix(im, 42, 300, MixOptions{})
	if !reflect.DeepEqual(a, b) {
		t.Error("Mix differs for the same seed")
	}
	if reflect.DeepEqual(a, Mix(im, 43, 300, MixOptions{})) {
		t.Error("Mix is the same for another seed")
	}
	if !reflect.DeepEqual(Random(7, 100, 4), Random(7, 100, 4)) || reflect.DeepEqual(Random(7, 100, 4), Random(8, 100, 4)) {
		t.Error("Random is not deterministic by seed")
	}
	if !reflect.DeepEqual(BackToBack(im, 10, 60), BackToBack(im, 10, 60)) {
		t.Error("BackToBack differs between calls")
	}
}

func TestBackToBack(t *testing.T) {
	im := testImage(false)
	for _, size := range []int{0, 60, 64, 128, 1000, 1414, 1514, 9014} {
		frames := BackToBack(im, 5, size)
		want := max(size, 60)
		if len(frames) != 5*4 {
			t.Fatalf("size %d: %d frames", size, len(frames))
		}
		for i, f := range frames {
			if f.Port != i%4 || len(f.Data) != want || f.BadFCS || f.Kind != KindForward {
				t.Fatalf("size %d: frame %d: port %d, %d bytes", size, i, f.Port, len(f.Data))
			}
			if len(f.Data) > int(im.Ports[f.Port].MTU)+14 {
				continue // a giant: asked for
			}
			reason, out := decide(im, f.Port, f.Data, false)
			if reason != KindForward {
				t.Errorf("size %d: frame %d from port %d: %s", size, i, f.Port, reason)
				continue
			}
			// Every port has a forward route to the next one that takes up to 1400 bytes
			// (port 2's MTU), and 9000-byte frames only fit port 1.
			if wantOut := (f.Port + 1) % 4; want-14 <= 1400 && out != wantOut {
				t.Errorf("size %d: frame from port %d leaves on %d, want %d", size, f.Port, out, wantOut)
			}
		}
		if !bytes.Equal(frames[0].Data[42:50], []byte{0, 0, 0, 0, 0, 0, 0, 0}) || binary.BigEndian.Uint32(frames[4].Data[46:50]) != 1 {
			t.Errorf("size %d: frames are not numbered", size)
		}
		checkIPv4(t, frames)
	}
	if BackToBack(tables.NewImage(tables.SimSizes), 3, 60) != nil {
		t.Error("frames without a forward route")
	}
}

func TestRandom(t *testing.T) {
	frames := Random(1, 3000, 3)
	if len(frames) != 3000 {
		t.Fatalf("%d frames", len(frames))
	}
	lens := map[bool]int{}
	bad := 0
	for _, f := range frames {
		if len(f.Data) < 1 || len(f.Data) > 1600 || f.Port < 0 || f.Port > 2 || f.Kind != KindRandom {
			t.Fatalf("frame: port %d, %d bytes", f.Port, len(f.Data))
		}
		lens[len(f.Data) < 60]++
		if f.BadFCS {
			bad++
		}
	}
	if lens[true] == 0 || lens[false] == 0 || bad == 0 {
		t.Errorf("runts %d, others %d, bad FCS %d", lens[true], lens[false], bad)
	}
	if len(Random(1, 10, 0)) != 10 || Random(1, 0, 4) != nil && len(Random(1, 0, 4)) != 0 {
		t.Error("edge cases")
	}
}

// checkIPv4 re-serializes well-formed IPv4 frames with gopacket (an independent checksum
// implementation) and compares.
func checkIPv4(t *testing.T, frames []Frame) {
	t.Helper()
	for i, f := range frames {
		// (Errors past the transport layer come from gopacket decoding random payloads as
		// DNS, NTP, VXLAN and such: not ours.)
		pk := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
		ip, _ := pk.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		if ip == nil {
			t.Errorf("frame %d (%s): gopacket finds no IPv4 header: %v", i, f.Kind, pk.ErrorLayer())
			continue
		}
		if n := int(ip.Length) - 4*int(ip.IHL); pk.TransportLayer() == nil && pk.Layer(layers.LayerTypeICMPv4) == nil &&
			(ip.Protocol == layers.IPProtocolUDP && n >= 8 || ip.Protocol == layers.IPProtocolTCP && n >= 20 || ip.Protocol == layers.IPProtocolICMPv4 && n >= 8) {
			t.Errorf("frame %d (%s): gopacket finds no %v header: %v", i, f.Kind, ip.Protocol, pk.ErrorLayer())
			continue
		}
		ls := []gopacket.SerializableLayer{ip}
		switch l := pk.TransportLayer().(type) {
		case *layers.UDP:
			_ = l.SetNetworkLayerForChecksum(ip)
			ls = append(ls, l, gopacket.Payload(l.Payload))
		case *layers.TCP:
			_ = l.SetNetworkLayerForChecksum(ip)
			ls = append(ls, l, gopacket.Payload(l.Payload))
		default:
			if ic, ok := pk.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4); ok {
				ls = append(ls, ic, gopacket.Payload(ic.Payload))
			} else {
				ls = append(ls, gopacket.Payload(ip.Payload))
			}
		}
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{ComputeChecksums: true}, ls...); err != nil {
			t.Errorf("frame %d: %v", i, err)
			continue
		}
		got, want := f.Data[14:14+int(ip.Length)], buf.Bytes()
		if !bytes.Equal(got, want) {
			// UDP: 0x0000 and 0xffff are the same checksum; gopacket writes the first.
			if ip.Protocol == layers.IPProtocolUDP && len(got) == len(want) && bytes.Equal(got[:26], want[:26]) &&
				got[26] == 0xff && got[27] == 0xff && want[26] == 0 && want[27] == 0 && bytes.Equal(got[28:], want[28:]) {
				continue
			}
			t.Errorf("frame %d (%s): gopacket computes other checksums:\n got % x\nwant % x", i, f.Kind, got[:min(len(got), 48)], want[:min(len(want), 48)])
		}
	}
}

// TestFramesDecode: gopacket decodes what the generators meant to be well-formed, with the
// same checksums.
func TestFramesDecode(t *testing.T) {
	im := testImage(false)
	var good []Frame
	kinds := map[string]bool{}
	for _, f := range Mix(im, 6, 2000, MixOptions{}) {
		switch f.Kind {
		case KindForward, KindToMe, KindTTLExpired, KindIPOptions, KindNoRoute, KindGlean, KindMTUExceeded,
			KindMulticast, KindMartian, KindBlackhole, KindL2BroadcastTransit, KindWrongDstMAC, KindBadFCS:
			if ipTot(f.Data) == len(f.Data)-14 || ipTot(f.Data) >= 0 {
				good = append(good, f)
			}
		case KindARP, KindIPv6, KindNonIP:
			pk := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
			for _, l := range pk.Layers() {
				kinds[l.LayerType().String()] = true
			}
		}
	}
	checkIPv4(t, good)
	var names []string
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, want := range []string{"ARP", "IPv6", "UDP", "LinkLayerDiscovery", "LLC", "MPLS"} {
		if !kinds[want] {
			t.Errorf("no %s layer among %v", want, names)
		}
	}
}
