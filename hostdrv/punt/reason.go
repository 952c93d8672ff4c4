// Package punt holds the data plane's reason codes and the wire formats the CPU path uses: the
// punt header that precedes every punted frame and the inject header that precedes every frame
// the CPU sends. The exact semantics live in rtl/core/README.md.
package punt

import "fmt"

// Reason is the outcome of the data plane's decision for one frame: forwarded, punted to the CPU
// with a reason, or dropped with a reason. The numeric value is also the index of the reason's
// counter.
type Reason uint8

// The reason codes, in the order of rtl/core/README.md.
const (
	Forward            Reason = 0
	ARP                Reason = 1
	ToMe               Reason = 2
	TTLExpired         Reason = 3
	IPOptions          Reason = 4
	NoRoute            Reason = 5
	Glean              Reason = 6
	MTUExceeded        Reason = 7
	Multicast          Reason = 8
	IPv6               Reason = 9
	NonIP              Reason = 10
	VLAN               Reason = 11
	BadFCS             Reason = 12
	Runt               Reason = 13
	Giant              Reason = 14
	BadIPHeader        Reason = 15
	BadIPChecksum      Reason = 16
	WrongDstMAC        Reason = 17
	L2BroadcastTransit Reason = 18
	Martian            Reason = 19
	Blackhole          Reason = 20
	PuntPoliced        Reason = 21

	// NumReasons is the number of defined codes; ReasonSlots is the size of the counter array.
	NumReasons  = 22
	ReasonSlots = 32
)

var reasonNames = [NumReasons]string{
	"forward", "arp", "to_me", "ttl_expired", "ip_options", "no_route", "glean",
	"mtu_exceeded", "multicast", "ipv6", "non_ip", "vlan",
	"bad_fcs", "runt", "giant", "bad_ip_header", "bad_ip_checksum", "wrong_dst_mac",
	"l2_broadcast_transit", "martian", "blackhole", "punt_policed",
}

// String returns the reason's name as used in counters, pcapng comments and the CLI.
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// IsPunt reports whether frames with this reason go to the CPU.
func (r Reason) IsPunt() bool { return r >= ARP && r <= VLAN }

// IsDrop reports whether frames with this reason are dropped in the data plane.
func (r Reason) IsDrop() bool { return r >= BadFCS && r < NumReasons }

// ParseReason returns the reason with the given name.
func ParseReason(name string) (Reason, error) {
	for i, n := range reasonNames {
		if n == name {
			return Reason(i), nil
		}
	}
	return 0, fmt.Errorf("unknown reason %q", name)
}

// Reasons returns every defined reason in code order.
func Reasons() []Reason {
	rs := make([]Reason, NumReasons)
	for i := range rs {
		rs[i] = Reason(i)
	}
	return rs
}
