package tables

import (
	"fmt"
	"net"
)

// Sizes are the table sizes of one build of the data plane (build parameters of rtl/core).
type Sizes struct {
	Ports int // packet ports
	LPM   int // LPM (TCAM) entries
	Adj   int // adjacency rows
	RAddr int // router-address entries
}

// SimSizes are the sizes of the default simulation build (rtl/core/lr_core.v defaults).
var SimSizes = Sizes{Ports: 4, LPM: 1024, Adj: 256, RAddr: 16}

// AdjKind says what a route's next hop does with a frame.
type AdjKind uint8

const (
	AdjGlean     AdjKind = 0 // next hop has no MAC yet: punt "glean" (also an empty row)
	AdjForward   AdjKind = 1 // rewrite and send out of Port
	AdjBlackhole AdjKind = 2 // drop "blackhole"
)

func (k AdjKind) String() string {
	switch k {
	case AdjGlean:
		return "glean"
	case AdjForward:
		return "forward"
	case AdjBlackhole:
		return "blackhole"
	}
	return fmt.Sprintf("adjkind(%d)", uint8(k))
}

// PortEntry is one row of the port table.
type PortEntry struct {
	MAC net.HardwareAddr // 6 bytes; frames to this unicast MAC are "to the router"
	MTU uint16           // IP MTU; also bounds the ingress frame length (giant)
}

// RAddrEntry is one router address (destination of "to_me" punts).
type RAddrEntry struct {
	Valid bool
	Addr  uint32 // IPv4 address, host order
}

// LPMEntry is one ternary TCAM entry. A key matches when (key^Value)&Mask == 0; the lowest
// matching valid index wins, so the compiler stores longer prefixes at lower indexes.
type LPMEntry struct {
	Valid  bool
	Value  uint32 // host order, already masked
	Mask   uint32
	Adj    uint16 // adjacency row
	Prefix string // the route it came from, e.g. "198.51.100.0/24" (not written to hardware)
}

// AdjEntry is one adjacency row.
type AdjEntry struct {
	Kind    AdjKind
	Port    uint8
	DstMAC  net.HardwareAddr
	SrcMAC  net.HardwareAddr
	MTU     uint16
	NextHop string // e.g. "192.0.2.2" or "" (not written to hardware)
}

// Image is the complete content of the data plane's tables. The RTL receives it as register
// writes, the golden model receives it as is: both see the same entries at the same indexes.
// Every slice has exactly the length of its table (Sizes); unused entries are zero.
type Image struct {
	Sizes Sizes
	Ports []PortEntry
	RAddr []RAddrEntry
	LPM   []LPMEntry
	Adj   []AdjEntry
}

// NewImage returns an empty image of the given sizes: every port with a zero MAC and MTU 1500,
// no router address, no route, every adjacency row glean.
func NewImage(s Sizes) *Image {
	im := &Image{
		Sizes: s,
		Ports: make([]PortEntry, s.Ports),
		RAddr: make([]RAddrEntry, s.RAddr),
		LPM:   make([]LPMEntry, s.LPM),
		Adj:   make([]AdjEntry, s.Adj),
	}
	for i := range im.Ports {
		im.Ports[i] = PortEntry{MAC: make(net.HardwareAddr, 6), MTU: 1500}
	}
	for i := range im.Adj {
		im.Adj[i] = AdjEntry{DstMAC: make(net.HardwareAddr, 6), SrcMAC: make(net.HardwareAddr, 6)}
	}
	return im
}
