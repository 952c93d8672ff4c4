package tables

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"testing"
)

func compile(t *testing.T, text string, s Sizes) (*Image, *Config) {
	t.Helper()
	c := mustParse(t, text)
	im, err := Compile(c, s)
	if err != nil {
		t.Fatalf("Compile: %v\n%s", err, text)
	}
	checkImageShape(t, im, s)
	return im, c
}

// checkImageShape checks what every compiled image must satisfy: table lengths, valid LPM
// entries first in TCAM order, masked values, adjacency indexes in range.
func checkImageShape(t *testing.T, im *Image, s Sizes) {
	t.Helper()
	if len(im.Ports) != s.Ports || len(im.LPM) != s.LPM || len(im.Adj) != s.Adj || len(im.RAddr) != s.RAddr || im.Sizes != s {
		t.Fatalf("image shape %d/%d/%d/%d, sizes %+v", len(im.Ports), len(im.LPM), len(im.Adj), len(im.RAddr), s)
	}
	n := 0
	for n < len(im.LPM) && im.LPM[n].Valid {
		n++
	}
	for i, e := range im.LPM {
		if i >= n {
			if e != (LPMEntry{}) {
				t.Errorf("lpm[%d] = %+v after the last valid entry", i, e)
			}
			continue
		}
		ones := bits.OnesCount32(e.Mask)
		if e.Mask != prefixMask(ones) || e.Value&^e.Mask != 0 || int(e.Adj) >= s.Adj {
			t.Errorf("lpm[%d] = %+v: bad mask, value or adjacency", i, e)
		}
		if want := fmt.Sprintf("%s/%d", addrFromU32(e.Value), ones); e.Prefix != want {
			t.Errorf("lpm[%d].Prefix = %q, want %q", i, e.Prefix, want)
		}
		if i > 0 {
			p := im.LPM[i-1]
			pl := bits.OnesCount32(p.Mask)
			if pl < ones || (pl == ones && p.Value >= e.Value) {
				t.Errorf("lpm[%d] %s before lpm[%d] %s: not longest prefix first, then by value", i-1, p.Prefix, i, e.Prefix)
			}
		}
	}
	for i, a := range im.Adj {
		if len(a.DstMAC) != 6 || len(a.SrcMAC) != 6 {
			t.Errorf("adj[%d] has MACs of %d and %d bytes", i, len(a.DstMAC), len(a.SrcMAC))
		}
		if a.Kind == AdjGlean && !isZeroMAC(a.DstMAC) {
			t.Errorf("adj[%d] glean with dmac %s", i, a.DstMAC)
		}
	}
}

// lpmIndex finds the LPM entry of a prefix.
func lpmIndex(t *testing.T, im *Image, prefix string) int {
	t.Helper()
	for i, e := range im.LPM {
		if e.Valid && e.Prefix == prefix {
			return i
		}
	}
	t.Fatalf("no LPM entry for %s", prefix)
	return -1
}

func TestCompileSmall(t *testing.T) {
	s := Sizes{Ports: 2, LPM: 16, Adj: 8, RAddr: 4}
	im, _, err := Build("../test/configs/small.conf", s)
	if err != nil {
		t.Fatal(err)
	}
	checkImageShape(t, im, s)
	// The whole expected image, written out once: this is the compiler's own contract.
	wantLPM := []string{
		"192.0.2.2/32 -> 2", "192.0.2.10/32 -> 3", "10.1.2.0/24 -> 4", "192.0.2.0/24 -> 0",
		"198.51.100.0/24 -> 1", "10.1.0.0/16 -> 2", "10.66.0.0/16 -> 5", "0.0.0.0/0 -> 2",
	}
	var gotLPM []string
	for _, e := range im.LPM {
		if e.Valid {
			gotLPM = append(gotLPM, fmt.Sprintf("%s -> %d", e.Prefix, e.Adj))
		}
	}
	if strings.Join(gotLPM, ", ") != strings.Join(wantLPM, ", ") {
		t.Errorf("LPM\n got %v\nwant %v", gotLPM, wantLPM)
	}
	wantAdj := []string{
		"glean port0 direct 00:00:00:00:00:00 02:00:00:00:00:10 1500",
		"glean port1 direct 00:00:00:00:00:00 02:00:00:00:00:11 1400",
		"forward port0 192.0.2.2 02:00:00:00:01:02 02:00:00:00:00:10 1500",
		"forward port0 192.0.2.10 02:00:00:00:01:0a 02:00:00:00:00:10 1500",
		"glean port1 198.51.100.2 00:00:00:00:00:00 02:00:00:00:00:11 1400",
		"blackhole port0 blackhole 00:00:00:00:00:00 00:00:00:00:00:00 0",
		"glean port0  00:00:00:00:00:00 00:00:00:00:00:00 0",
	}
	for j, want := range wantAdj {
		a := im.Adj[j]
		if got := fmt.Sprintf("%v port%d %s %s %s %d", a.Kind, a.Port, a.NextHop, a.DstMAC, a.SrcMAC, a.MTU); got != want {
			t.Errorf("adj[%d] = %q, want %q", j, got, want)
		}
	}
	if im.Ports[1].MAC.String() != "02:00:00:00:00:11" || im.Ports[1].MTU != 1400 || im.Ports[0].MTU != 1500 {
		t.Errorf("ports %+v", im.Ports)
	}
	if !im.RAddr[0].Valid || im.RAddr[0].Addr != 0xC0000201 || !im.RAddr[1].Valid || im.RAddr[1].Addr != 0xC6336401 || im.RAddr[2].Valid {
		t.Errorf("raddr %+v", im.RAddr)
	}
	if !im.IsRouterAddr(0xC6336401) || im.IsRouterAddr(0xC6336402) {
		t.Error("IsRouterAddr")
	}
}

func TestCompileAdjacency(t *testing.T) {
	im, _ := compile(t, prelude+`link set dev port2 address 02:00:00:00:00:12 mtu 9000 up
addr add 203.0.113.1/24 dev port2
route add 10.1.0.0/16 via 192.0.2.2
route add 10.2.0.0/16 via 192.0.2.2 dev port0  # same next hop: same row
route add 10.3.0.0/16 via 203.0.113.7           # no neighbor: glean row of its own
route add 10.4.0.0/16 via 203.0.113.7           # shares it
route add blackhole 10.5.0.0/16
route add blackhole 10.6.0.0/16                 # one shared blackhole row
route add 10.7.0.0/16 dev port1                 # on-link: port1's glean row
neigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0
neigh add 192.0.2.77 lladdr 02:00:00:00:01:4d dev port0
`, testSizes)
	adjOf := func(p string) AdjEntry { return im.Adj[im.LPM[lpmIndex(t, im, p)].Adj] }
	rowOf := func(p string) uint16 { return im.LPM[lpmIndex(t, im, p)].Adj }
	// Rows in allocation order: port0 glean (line 3), port1 glean (4), port2 glean (6), 192.0.2.2
	// (7), 203.0.113.7 (9), blackhole (11), 192.0.2.77 (host entry, 15).
	want := map[string]uint16{
		"192.0.2.0/24": 0, "198.51.100.0/24": 1, "10.7.0.0/16": 1, "203.0.113.0/24": 2,
		"10.1.0.0/16": 3, "10.2.0.0/16": 3, "192.0.2.2/32": 3, "10.3.0.0/16": 4, "10.4.0.0/16": 4,
		"10.5.0.0/16": 5, "10.6.0.0/16": 5, "192.0.2.77/32": 6,
	}
	for p, row := range want {
		if got := rowOf(p); got != row {
			t.Errorf("%s -> row %d, want %d", p, got, row)
		}
	}
	if a := adjOf("10.1.0.0/16"); a.Kind != AdjForward || a.DstMAC.String() != "02:00:00:00:01:02" ||
		a.SrcMAC.String() != "02:00:00:00:00:10" || a.Port != 0 || a.MTU != 1500 || a.NextHop != "192.0.2.2" {
		t.Errorf("via 192.0.2.2: %+v", a)
	}
	if a := adjOf("10.3.0.0/16"); a.Kind != AdjGlean || a.Port != 2 || a.MTU != 9000 || a.NextHop != "203.0.113.7" ||
		a.SrcMAC.String() != "02:00:00:00:00:12" {
		t.Errorf("via 203.0.113.7: %+v", a)
	}
	if a := adjOf("198.51.100.0/24"); a.Kind != AdjGlean || a.Port != 1 || a.MTU != 1400 || a.NextHop != NextHopDirect {
		t.Errorf("connected port1: %+v", a)
	}
	if a := adjOf("10.5.0.0/16"); a.Kind != AdjBlackhole || a.NextHop != NextHopBlackhole {
		t.Errorf("blackhole: %+v", a)
	}
	if a := adjOf("192.0.2.77/32"); a.Kind != AdjForward || a.DstMAC.String() != "02:00:00:00:01:4d" {
		t.Errorf("host 192.0.2.77: %+v", a)
	}
	if n := validLPM(im); n != len(want) {
		t.Errorf("%d LPM entries, want %d", n, len(want))
	}
	if a := im.Adj[7]; a.Kind != AdjGlean || a.NextHop != "" || a.MTU != 0 {
		t.Errorf("unused row 7 = %+v", a)
	}
}

func validLPM(im *Image) int {
	n := 0
	for _, e := range im.LPM {
		if e.Valid {
			n++
		}
	}
	return n
}

func TestCompileHostEntries(t *testing.T) {
	im, _ := compile(t, prelude+`route add 192.0.2.128/25 via 198.51.100.2   # more specific than port0's /24
route add 192.0.2.64/32 dev port0                 # on-link /32 for a neighbor
route add 198.51.100.0/25 dev port0               # port1's hosts .0-.127 through port0 (odd, but legal)
neigh add 192.0.2.200 lladdr 02:00:00:00:01:c8 dev port0  # shadowed by the /25: no host entry
neigh add 192.0.2.64 lladdr 02:00:00:00:01:40 dev port0   # the on-link /32 becomes forward
neigh add 198.51.100.5 lladdr 02:00:00:00:01:05 dev port1 # best match is the /25 on port0: no host entry
neigh add 198.51.100.6 lladdr 02:00:00:00:01:06 dev port0 # in the on-link /25 of port0: host entry
`, testSizes)
	for _, p := range []string{"192.0.2.200/32", "198.51.100.5/32"} {
		for _, e := range im.LPM {
			if e.Prefix == p {
				t.Errorf("host entry %s for a shadowed neighbor", p)
			}
		}
	}
	if a := im.Adj[im.LPM[lpmIndex(t, im, "192.0.2.64/32")].Adj]; a.Kind != AdjForward || a.DstMAC.String() != "02:00:00:00:01:40" {
		t.Errorf("on-link /32 with neighbor: %+v", a)
	}
	if a := im.Adj[im.LPM[lpmIndex(t, im, "198.51.100.6/32")].Adj]; a.Kind != AdjForward || a.Port != 0 {
		t.Errorf("neighbor in on-link subnet: %+v", a)
	}
	if n := validLPM(im); n != 2+3+1 {
		t.Errorf("%d LPM entries, want 6", n)
	}
}

func TestCompileOverflow(t *testing.T) {
	text := prelude + "route add 10.0.0.0/8 via 192.0.2.2\nroute add 11.0.0.0/8 via 192.0.2.3\naddr add 192.0.2.9/24 dev port0\n"
	c := mustParse(t, text)
	tests := []struct {
		name string
		s    Sizes
		want string
	}{
		{"lpm", Sizes{Ports: 4, LPM: 3, Adj: 8, RAddr: 4}, "t.conf: LPM table full: 4 entries needed, 3 available"},
		{"lpm empty", Sizes{Ports: 4, LPM: 0, Adj: 8, RAddr: 4}, "4 entries needed, 0 available"},
		{"adj", Sizes{Ports: 4, LPM: 8, Adj: 3, RAddr: 4}, "t.conf: adjacency table full: 4 rows needed, 3 available"},
		{"raddr", Sizes{Ports: 4, LPM: 8, Adj: 8, RAddr: 2}, "t.conf:7: router address 192.0.2.9: router-address table full: 3 addresses, the build has 2 entries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(c, tc.s)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrTableFull) {
				t.Errorf("error %v, want %q wrapping ErrTableFull", err, tc.want)
			}
		})
	}
	if _, err := Compile(c, Sizes{Ports: 4, LPM: 4, Adj: 4, RAddr: 3}); err != nil {
		t.Errorf("exact fit: %v", err)
	}
}

func TestCompileErrors(t *testing.T) {
	c := mustParse(t, prelude+"link set dev port3 up\naddr add 203.0.113.1/24 dev port3\n")
	if _, err := Compile(c, Sizes{Ports: 2, LPM: 8, Adj: 8, RAddr: 8}); err == nil || !strings.HasPrefix(err.Error(), "t.conf:5: port3 does not exist in a build with 2 ports") {
		t.Errorf("port3 in a 2-port build: %v", err)
	}
	if _, err := Compile(mustParse(t, prelude), Sizes{Ports: 2, LPM: 8, Adj: 8, RAddr: 8}); err != nil {
		t.Errorf("unused ports: %v", err)
	}
	if _, err := Compile(c, Sizes{Ports: 4, LPM: -1}); err == nil {
		t.Error("negative size accepted")
	}
	if _, err := Compile(nil, testSizes); err == nil {
		t.Error("nil config accepted")
	}
	// A configuration built in code is checked too.
	c = mustParse(t, prelude)
	c.Neighbors = append(c.Neighbors, Neighbor{IP: ip("10.9.9.9"), MAC: make([]byte, 6), Port: 0, Line: 42})
	if _, err := Compile(c, testSizes); err == nil || !strings.HasPrefix(err.Error(), "t.conf:42: neighbor 10.9.9.9 is outside") {
		t.Errorf("neighbor outside: %v", err)
	}
}

func TestCompileEmpty(t *testing.T) {
	im, _ := compile(t, "", testSizes)
	if validLPM(im) != 0 || im.Ports[0].MTU != 1500 || !isZeroMAC(im.Ports[0].MAC) {
		t.Errorf("empty config: %+v", im)
	}
	if _, ok := im.LookupLPM(0x0A000001); ok {
		t.Error("hit in an empty table")
	}
}

func TestCompileDemo(t *testing.T) {
	im, c, err := Build("../test/configs/demo.conf", SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	checkImageShape(t, im, SimSizes)
	checkAgainstResolver(t, im, c, configKeys(c))
	// Deterministic: compiling twice gives the same image.
	im2, err := Compile(c, SimSizes)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(im) != fmt.Sprint(im2) {
		t.Error("two compilations differ")
	}
}
