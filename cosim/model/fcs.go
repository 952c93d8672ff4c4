package model

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// MinFrameBytes is the shortest frame (without FCS) a port sends; FCS insert pads to it.
const MinFrameBytes = 60

// FCS returns the Ethernet frame check sequence of frame (without FCS): CRC-32 IEEE 802.3.
func FCS(frame []byte) uint32 { return crc32.ChecksumIEEE(frame) }

// AppendFCS returns frame followed by its FCS, least significant byte first, as on the wire.
// Like append, it may write into frame's spare capacity. It does not pad.
func AppendFCS(frame []byte) []byte {
	return binary.LittleEndian.AppendUint32(frame, FCS(frame))
}

// FCSInsert returns a new slice: frame padded with zero bytes to MinFrameBytes, then its FCS,
// as the FCS insert stage (lr_fcs_insert.v) sends it. frame is not modified.
func FCSInsert(frame []byte) []byte {
	n := max(len(frame), MinFrameBytes)
	out := make([]byte, n, n+4)
	copy(out, frame)
	return AppendFCS(out)
}

// checkFCS is the FCS check stage (lr_fcs_check.v): CRC-32 of b[0..L) against the received FCS.
func checkFCS(f *frame, tr *trace) bool {
	if f.w < 4 {
		tr.add("fcs", "no FCS")
		return false
	}
	c := FCS(f.b)
	if c != f.fcs {
		tr.addf("fcs", "bad: computed %08x, received %08x", c, f.fcs)
		return false
	}
	tr.addf("fcs", "ok %08x", c)
	return true
}

// fcsInsert is the FCS insert stage: pad to 60 and append the CRC-32.
func fcsInsert(frame []byte, tr *trace) []byte {
	out := FCSInsert(frame)
	pad := ""
	if len(frame) < MinFrameBytes {
		pad = fmt.Sprintf("padded %d -> %d, ", len(frame), MinFrameBytes)
	}
	tr.addf("fcs_insert", "%sappended FCS %08x: %d bytes on the wire", pad,
		binary.LittleEndian.Uint32(out[len(out)-4:]), len(out))
	return out
}
