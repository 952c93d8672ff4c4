//go:build linux

package kernelsrc

import (
	"encoding/binary"
	"net"
	"net/netip"
	"reflect"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/linerate/linerate/tables"
)

// attr encodes one rtnetlink attribute, padded.
func attr(typ uint16, v []byte) []byte {
	b := make([]byte, 4, 4+len(v)+3)
	binary.NativeEndian.PutUint16(b[0:2], uint16(4+len(v)))
	binary.NativeEndian.PutUint16(b[2:4], typ)
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

func ip4(s string) []byte { a := netip.MustParseAddr(s).As4(); return a[:] }

// nlmsg encodes a netlink message with the given payload parts.
func nlmsg(typ, flags uint16, parts ...[]byte) []byte {
	var data []byte
	for _, p := range parts {
		data = append(data, p...)
	}
	b := make([]byte, unix.SizeofNlMsghdr, unix.SizeofNlMsghdr+len(data))
	binary.NativeEndian.PutUint32(b[0:4], uint32(unix.SizeofNlMsghdr+len(data)))
	binary.NativeEndian.PutUint16(b[4:6], typ)
	binary.NativeEndian.PutUint16(b[6:8], flags)
	return append(b, data...)
}

func linkMsg(typ uint16, index int32, name string) []byte {
	h := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(h[4:8], uint32(index))
	return nlmsg(typ, 0, h, attr(unix.IFLA_IFNAME, append([]byte(name), 0)))
}

// bridgeMsg is a link message of family AF_BRIDGE (about a bridge port, not the interface).
func bridgeMsg(typ uint16, index int32, name string) []byte {
	b := linkMsg(typ, index, name)
	b[unix.SizeofNlMsghdr] = unix.AF_BRIDGE
	return b
}

// route describes a route message for routeMsg.
type route struct {
	dst      string // "" for the default route
	len      uint8
	table    uint8
	proto    uint8
	typ      uint8
	tos      uint8
	gw       string
	oif      int32
	prio     uint32
	extra    []byte
	msgFlags uint16
}

func routeMsg(msgType uint16, r route) []byte {
	h := make([]byte, unix.SizeofRtMsg)
	if r.table == 0 {
		r.table = unix.RT_TABLE_MAIN
	}
	if r.proto == 0 {
		r.proto = unix.RTPROT_BOOT
	}
	if r.typ == 0 {
		r.typ = unix.RTN_UNICAST
	}
	h[0], h[1], h[3], h[4], h[5], h[7] = unix.AF_INET, r.len, r.tos, r.table, r.proto, r.typ
	parts := [][]byte{h, attr(unix.RTA_TABLE, u32(uint32(r.table)))}
	if r.dst != "" {
		parts = append(parts, attr(unix.RTA_DST, ip4(r.dst)))
	}
	if r.gw != "" {
		parts = append(parts, attr(unix.RTA_GATEWAY, ip4(r.gw)))
	}
	if r.oif != 0 {
		parts = append(parts, attr(unix.RTA_OIF, u32(uint32(r.oif))))
	}
	if r.prio != 0 {
		parts = append(parts, attr(unix.RTA_PRIORITY, u32(r.prio)))
	}
	parts = append(parts, r.extra)
	return nlmsg(msgType, r.msgFlags, parts...)
}

func neighMsg(typ uint16, index int32, ip string, state uint16, lladdr []byte) []byte {
	h := make([]byte, unix.SizeofNdMsg)
	h[0] = unix.AF_INET
	binary.NativeEndian.PutUint32(h[4:8], uint32(index))
	binary.NativeEndian.PutUint16(h[8:10], state)
	return nlmsg(typ, 0, h, attr(unix.NDA_DST, ip4(ip)), attr(unix.NDA_LLADDR, lladdr))
}

var mac = []byte{2, 0, 0, 0, 1, 2}

// feed applies datagrams (each possibly several messages) to s.
func feed(t *testing.T, s *state, datagrams ...[]byte) {
	t.Helper()
	for _, d := range datagrams {
		ms, err := parseMessages(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if _, _, err := s.apply(m); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestPortNumber(t *testing.T) {
	for name, want := range map[string]int{"port0": 0, "port7": 7, "port254": 254} {
		if n, ok := portNumber(name); !ok || n != want {
			t.Errorf("portNumber(%q) = %d, %v", name, n, ok)
		}
	}
	for _, name := range []string{"port", "port01", "port255", "port-1", "port+1", "eth0", "xport0", "port1a"} {
		if n, ok := portNumber(name); ok {
			t.Errorf("portNumber(%q) = %d, want not a port", name, n)
		}
	}
}

func TestSnapshotFromMessages(t *testing.T) {
	s := newState()
	feed(t, s,
		// Links: two ports, another interface, and a bridge-port message for port1's index.
		append(append(linkMsg(unix.RTM_NEWLINK, 2, "port0"), linkMsg(unix.RTM_NEWLINK, 3, "port1")...), linkMsg(unix.RTM_NEWLINK, 4, "other0")...),
		bridgeMsg(unix.RTM_DELLINK, 3, "port1"),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "10.0.0.0", len: 8, gw: "192.0.2.2", oif: 2}),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "10.66.0.0", len: 16, typ: unix.RTN_BLACKHOLE}),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "172.16.0.0", len: 12, oif: 3}),
		routeMsg(unix.RTM_NEWROUTE, route{gw: "198.51.100.9", oif: 3}), // default route
		// Connected route: skipped silently.
		routeMsg(unix.RTM_NEWROUTE, route{dst: "192.0.2.0", len: 24, oif: 2, proto: unix.RTPROT_KERNEL}),
		// Other table, other interface, other type, multipath, TOS: skipped.
		routeMsg(unix.RTM_NEWROUTE, route{dst: "192.0.2.1", len: 32, oif: 2, table: unix.RT_TABLE_LOCAL, typ: unix.RTN_LOCAL}),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "203.0.113.0", len: 24, gw: "192.168.1.1", oif: 4}),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "10.77.0.0", len: 16, typ: unix.RTN_UNREACHABLE}),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "10.88.0.0", len: 16, extra: attr(unix.RTA_MULTIPATH, make([]byte, 8))}),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "10.99.0.0", len: 16, tos: 4, oif: 2}),
		// A higher metric route for 10.0.0.0/8 is not the one Linux uses.
		routeMsg(unix.RTM_NEWROUTE, route{dst: "10.0.0.0", len: 8, gw: "192.0.2.3", oif: 2, prio: 100}),
		neighMsg(unix.RTM_NEWNEIGH, 2, "192.0.2.2", unix.NUD_PERMANENT, mac),
		neighMsg(unix.RTM_NEWNEIGH, 3, "198.51.100.9", unix.NUD_DELAY, mac),
		neighMsg(unix.RTM_NEWNEIGH, 3, "198.51.100.10", unix.NUD_INCOMPLETE, nil),
		neighMsg(unix.RTM_NEWNEIGH, 3, "198.51.100.11", unix.NUD_FAILED, mac),
		neighMsg(unix.RTM_NEWNEIGH, 4, "192.168.1.1", unix.NUD_REACHABLE, mac),
		neighMsg(unix.RTM_NEWNEIGH, 2, "192.0.2.7", unix.NUD_REACHABLE, mac[:4]),
	)
	want := Snapshot{
		Routes: []tables.Route{
			{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Kind: tables.RouteVia, Gateway: netip.MustParseAddr("198.51.100.9"), Port: 1, Dev: true},
			{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Kind: tables.RouteVia, Gateway: netip.MustParseAddr("192.0.2.2"), Port: 0, Dev: true},
			{Prefix: netip.MustParsePrefix("10.66.0.0/16"), Kind: tables.RouteBlackhole, Port: -1},
			{Prefix: netip.MustParsePrefix("172.16.0.0/12"), Kind: tables.RouteOnLink, Port: 1, Dev: true},
		},
		Neighbors: []tables.Neighbor{
			{IP: netip.MustParseAddr("192.0.2.2"), MAC: net.HardwareAddr(mac), Port: 0, State: "permanent"},
			{IP: netip.MustParseAddr("198.51.100.9"), MAC: net.HardwareAddr(mac), Port: 1, State: "stale"},
		},
		Skipped: []string{
			"10.77.0.0/16: route of type 7",
			"10.88.0.0/16: multipath route",
			"10.99.0.0/16: route with a TOS",
			"203.0.113.0/24: route on ifindex 4, not a port",
		},
	}
	if got := s.snapshot(); !reflect.DeepEqual(got, want) {
		t.Fatalf("snapshot:\n got %+v\nwant %+v", got, want)
	}

	// Deletions, a replace, and a renamed port.
	feed(t, s,
		routeMsg(unix.RTM_DELROUTE, route{dst: "10.0.0.0", len: 8, gw: "192.0.2.2", oif: 2}),
		routeMsg(unix.RTM_NEWROUTE, route{dst: "10.66.0.0", len: 16, oif: 2, msgFlags: unix.NLM_F_REPLACE}),
		neighMsg(unix.RTM_DELNEIGH, 2, "192.0.2.2", unix.NUD_PERMANENT, mac),
		linkMsg(unix.RTM_NEWLINK, 3, "wan1"),
	)
	got := s.snapshot()
	wantRoutes := []tables.Route{
		{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Kind: tables.RouteVia, Gateway: netip.MustParseAddr("192.0.2.3"), Port: 0, Dev: true},
		{Prefix: netip.MustParsePrefix("10.66.0.0/16"), Kind: tables.RouteOnLink, Port: 0, Dev: true},
	}
	if !reflect.DeepEqual(got.Routes, wantRoutes) || len(got.Neighbors) != 0 {
		t.Fatalf("after changes: routes %+v neighbours %+v", got.Routes, got.Neighbors)
	}
}

func TestParseMalformed(t *testing.T) {
	if _, err := parseMessages([]byte{100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); err == nil {
		t.Error("parseMessages accepted a length beyond the datagram")
	}
	bad := routeMsg(unix.RTM_NEWROUTE, route{dst: "10.0.0.0", len: 8})
	binary.NativeEndian.PutUint16(bad[unix.SizeofNlMsghdr+unix.SizeofRtMsg:], 200) // attribute length
	ms, err := parseMessages(bad)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := newState().apply(ms[0]); err == nil {
		t.Error("apply accepted a malformed attribute")
	}
	if _, _, err := newState().apply(message{Header: unix.NlMsghdr{Type: unix.RTM_NEWNEIGH}, Data: []byte{2}}); err == nil {
		t.Error("apply accepted a short neighbour message")
	}
}
