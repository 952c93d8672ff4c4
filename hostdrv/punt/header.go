package punt

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Version is the only version of the punt and inject headers defined so far.
const Version = 1

// HeaderLen is the length of the punt header that precedes every frame on the CPU stream.
const HeaderLen = 16

// InjectHeaderLen is the length of the inject header that precedes every frame the CPU sends.
const InjectHeaderLen = 8

// EgressNone is the punt header's egress port when the frame was not looked up or the LPM
// missed.
const EgressNone = 255

// ErrShort is returned (wrapped) when data is shorter than the header it should hold.
var ErrShort = errors.New("punt: data too short")

// ErrVersion is returned (wrapped) for a header whose version is not Version.
var ErrVersion = errors.New("punt: unsupported header version")

// flagLPMHit is bit 0 of the punt header's flags byte.
const flagLPMHit = 0x01

// Header is the 16-byte punt header (big-endian fields, rtl/core/README.md "Punt header"):
//
//	0-3   Seq       stamped by the CPU queue, +1 per punted frame
//	4     Version   1
//	5     Reason    reason code
//	6     InPort    ingress port
//	7     flags     bit 0 = LPMHit
//	8-9   LPMIndex  matching LPM entry (0 on miss or when not looked up)
//	10-11 AdjIndex  adjacency row of that entry (0 likewise)
//	12    Egress    egress port of the adjacency (EgressNone likewise)
//	13    0
//	14-15 Length    L, the length of the punted frame without FCS
type Header struct {
	Seq      uint32
	Version  uint8
	Reason   Reason
	InPort   uint8
	LPMHit   bool
	LPMIndex uint16
	AdjIndex uint16
	Egress   uint8
	Length   uint16
}

// AppendTo appends the header's 16 wire bytes to b. The fields are written as they are: set
// Version to punt.Version.
func (h Header) AppendTo(b []byte) []byte {
	var w [HeaderLen]byte
	h.put(w[:])
	return append(b, w[:]...)
}

// Marshal returns the header's 16 wire bytes.
func (h Header) Marshal() []byte { return h.AppendTo(make([]byte, 0, HeaderLen)) }

func (h Header) put(w []byte) {
	binary.BigEndian.PutUint32(w[0:4], h.Seq)
	w[4] = h.Version
	w[5] = uint8(h.Reason)
	w[6] = h.InPort
	w[7] = 0
	if h.LPMHit {
		w[7] = flagLPMHit
	}
	binary.BigEndian.PutUint16(w[8:10], h.LPMIndex)
	binary.BigEndian.PutUint16(w[10:12], h.AdjIndex)
	w[12] = h.Egress
	w[13] = 0
	binary.BigEndian.PutUint16(w[14:16], h.Length)
}

// Parse decodes the punt header at the start of b. It fails when b is shorter than HeaderLen or
// the version is not Version. Reserved bits (flags 7..1, byte 13) are ignored, and so are
// unknown reason codes (a newer data plane may define more).
func Parse(b []byte) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, fmt.Errorf("punt header: %d bytes, need %d: %w", len(b), HeaderLen, ErrShort)
	}
	h := Header{
		Seq:      binary.BigEndian.Uint32(b[0:4]),
		Version:  b[4],
		Reason:   Reason(b[5]),
		InPort:   b[6],
		LPMHit:   b[7]&flagLPMHit != 0,
		LPMIndex: binary.BigEndian.Uint16(b[8:10]),
		AdjIndex: binary.BigEndian.Uint16(b[10:12]),
		Egress:   b[12],
		Length:   binary.BigEndian.Uint16(b[14:16]),
	}
	if h.Version != Version {
		return h, fmt.Errorf("punt header: version %d: %w", h.Version, ErrVersion)
	}
	return h, nil
}

// String gives the header as key=value fields, as used in pcapng comments.
func (h Header) String() string {
	return fmt.Sprintf("seq=%d reason=%s in_port=%d lpm_hit=%t lpm_index=%d adj_index=%d egress=%d len=%d",
		h.Seq, h.Reason, h.InPort, h.LPMHit, h.LPMIndex, h.AdjIndex, h.Egress, h.Length)
}

// InjectHeader is the 8-byte header in front of a frame the CPU injects: byte 0 = version,
// byte 1 = port, byte 2 = flags, bytes 3-7 = 0. The core reads only the port and sends the frame
// out of it; the host link (rtl/link/README.md) reads the flags: InjectToPipeline makes the frame
// (with its FCS) enter the pipeline as if it had arrived on Port.
type InjectHeader struct {
	Version uint8
	Port    uint8
	Flags   uint8
}

// InjectToPipeline is the inject flag that sends a frame into the pipeline instead of out of a
// port.
const InjectToPipeline = 0x01

// AppendTo appends the header's 8 wire bytes to b. Set Version to punt.Version.
func (h InjectHeader) AppendTo(b []byte) []byte {
	return append(b, h.Version, h.Port, h.Flags, 0, 0, 0, 0, 0)
}

// Marshal returns the header's 8 wire bytes.
func (h InjectHeader) Marshal() []byte { return h.AppendTo(make([]byte, 0, InjectHeaderLen)) }

// ParseInject decodes the inject header at the start of b. It fails when b is shorter than
// InjectHeaderLen or the version is not Version; bytes 3-7 are ignored.
func ParseInject(b []byte) (InjectHeader, error) {
	if len(b) < InjectHeaderLen {
		return InjectHeader{}, fmt.Errorf("inject header: %d bytes, need %d: %w", len(b), InjectHeaderLen, ErrShort)
	}
	h := InjectHeader{Version: b[0], Port: b[1], Flags: b[2]}
	if h.Version != Version {
		return h, fmt.Errorf("inject header: version %d: %w", h.Version, ErrVersion)
	}
	return h, nil
}

// String gives the header as key=value fields.
func (h InjectHeader) String() string {
	if h.Flags != 0 {
		return fmt.Sprintf("version=%d port=%d flags=%#x", h.Version, h.Port, h.Flags)
	}
	return fmt.Sprintf("version=%d port=%d", h.Version, h.Port)
}
