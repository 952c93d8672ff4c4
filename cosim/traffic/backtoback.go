package traffic

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/linerate/linerate/tables"
)

// BackToBack returns perPort forwardable frames of size bytes (without FCS; 60, the minimum,
// when size is smaller) for every port, interleaved port by port (frame k of port 0, of port
// 1, ..., then frame k+1), for throughput tests and benchmarks. Port i's frames go to a
// destination routed out of port (i+1)%N when the image has such a forward route whose MTU
// takes the frame, else through any forward route that takes it, else through any forward
// route (too long a size then gives mtu_exceeded punts). Nil when the image has no forward
// route. UDP frames with TTL 64; the IP ID and the payload carry the frame's number.
func BackToBack(im *tables.Image, perPort int, size int) []Frame {
	if im == nil || perPort <= 0 || len(im.Ports) == 0 {
		return nil
	}
	size = max(size, 60)
	rng := rand.New(rand.NewPCG(uint64(size), 0x6232622b)) // fixed: the same image gives the same frames
	v := newView(im, rng)
	n := len(im.Ports)
	type flow struct {
		dst, src uint32
		dmac     mac
	}
	flows := make([]flow, n)
	tot := size - 14
	for i := 0; i < n; i++ {
		fits := func(r route) bool { return r.mtu >= tot && int(im.Ports[i].MTU) >= tot }
		var (
			dst uint32
			ok  bool
		)
		for _, ok2 := range []func(route) bool{
			func(r route) bool { return r.port == (i+1)%n && fits(r) },
			fits,
			nil,
		} {
			if dst, _, ok = v.dstVia(rng, v.reach[tables.AdjForward], ok2); ok {
				break
			}
		}
		if !ok {
			return nil
		}
		flows[i] = flow{dst: dst, src: v.srcFor(rng, i, dst), dmac: v.portMAC(i)}
	}
	out := make([]Frame, 0, perPort*n)
	for k := 0; k < perPort; k++ {
		for i, f := range flows {
			h := ipHdr{Ver: 4, IHL: 5, Tot: tot, ID: uint16(k), TTL: 64, Proto: protoUDP, Src: f.src, Dst: f.dst}
			l2 := ethHeader(f.dmac, mac{0x02, 0xb2, 0xb0, 0, byte(i >> 8), byte(i)}, etIPv4)
			d := ipv4Frame(rng, l2, h, size, false)
			if size >= 14+28+8 {
				// Number the frame in the payload (port, sequence), then fix the UDP checksum.
				binary.BigEndian.PutUint32(d[42:46], uint32(i))
				binary.BigEndian.PutUint32(d[46:50], uint32(k))
				binary.BigEndian.PutUint16(d[40:42], 0)
				c := ^onesSum(d[34:14+h.Tot], pseudoSum(h.Src, h.Dst, protoUDP, h.Tot-20))
				if c == 0 {
					c = 0xffff
				}
				binary.BigEndian.PutUint16(d[40:42], c)
			}
			out = append(out, Frame{Port: i, Data: d, Kind: KindForward})
		}
	}
	return out
}
