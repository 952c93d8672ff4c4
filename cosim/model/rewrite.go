package model

import (
	"encoding/binary"
	"fmt"
)

// rewrite is the rewrite stage (lr_rewrite.v) for a forwarded frame: the output is
// b[0 .. 14+tot) with bytes 0-5 = adj.dmac, 6-11 = adj.smac, byte 22 = ttl-1 and bytes 24-25 =
// DecTTLChecksum(u16(24)). Bytes past the IP total length (Ethernet padding, trailing junk) are
// not sent. The frame has passed rule 9, so 14+tot <= L. The result is a new slice.
func rewrite(f *frame, tr *trace) []byte {
	a := &f.look.adjRow
	n := offIP + int(f.hdr.tot)
	out := make([]byte, n)
	copy(out, f.b)
	copy(out[0:6], a.dmac[:])
	copy(out[6:12], a.smac[:])
	out[offTTL] = f.hdr.ttl - 1
	c := DecTTLChecksum(f.hdr.csum)
	binary.BigEndian.PutUint16(out[offCsum:], c)

	if tr.on {
		note := fmt.Sprintf("dmac %s smac %s ttl %d -> %d checksum %04x -> %04x, %d bytes",
			macString(a.dmac), macString(a.smac), f.hdr.ttl, f.hdr.ttl-1, f.hdr.csum, c, n)
		if n < f.l {
			note += fmt.Sprintf(" (%d bytes past the IP total length not sent)", f.l-n)
		}
		tr.add("rewrite", note)
	}
	return out
}
