// Package link is the framing of the host link (ARCHITECTURE 3.4), the same over every byte
// transport (UART, USB FIFO, socket, PTY): each frame is COBS-encoded and ends with a zero byte,
// so a receiver finds the next frame after any lost or corrupted byte. Decoded, a frame is
//
//	type (1) | seq (2, big-endian) | payload | CRC-32C (4, big-endian) of everything before it
//
// This file is the codec only; the request/response protocol with retransmission comes with
// the host-link issue.
package link

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// MaxPayload bounds a frame's payload: a punted jumbo frame with its punt header fits.
const MaxPayload = 10240

const overhead = 1 + 2 + 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Frame is one decoded link frame.
type Frame struct {
	Type    uint8
	Seq     uint16
	Payload []byte
}

// Errors a Decoder counts (and skips) while it resynchronises.
var (
	ErrCOBS     = errors.New("link: bad COBS encoding")
	ErrCRC      = errors.New("link: CRC-32C mismatch")
	ErrShort    = errors.New("link: frame shorter than its header")
	ErrOversize = errors.New("link: frame longer than MaxPayload")
)

// Append appends the wire form of f (COBS bytes and the zero delimiter) to dst.
func Append(dst []byte, f Frame) []byte {
	raw := make([]byte, 0, len(f.Payload)+overhead)
	raw = append(raw, f.Type, byte(f.Seq>>8), byte(f.Seq))
	raw = append(raw, f.Payload...)
	raw = binary.BigEndian.AppendUint32(raw, crc32.Checksum(raw, castagnoli))
	return append(cobsEncode(dst, raw), 0)
}

// cobsEncode appends the COBS encoding of src (no zero bytes in the output).
func cobsEncode(dst, src []byte) []byte {
	codeAt := len(dst)
	dst = append(dst, 0)
	code := byte(1)
	for _, b := range src {
		if b == 0 {
			dst[codeAt] = code
			codeAt = len(dst)
			dst = append(dst, 0)
			code = 1
			continue
		}
		dst = append(dst, b)
		code++
		if code == 0xFF {
			dst[codeAt] = code
			codeAt = len(dst)
			dst = append(dst, 0)
			code = 1
		}
	}
	dst[codeAt] = code
	return dst
}

// cobsDecode decodes one COBS block (without its delimiter).
func cobsDecode(src []byte) ([]byte, error) {
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); {
		code := int(src[i])
		if code == 0 || i+code > len(src) {
			return nil, ErrCOBS
		}
		out = append(out, src[i+1:i+code]...)
		i += code
		if code < 0xFF && i < len(src) {
			out = append(out, 0)
		}
	}
	return out, nil
}

// Decode decodes one frame from its COBS block (the bytes between two delimiters).
func Decode(block []byte) (Frame, error) {
	if len(block) > MaxPayload+overhead+overhead/254+8 {
		return Frame{}, ErrOversize
	}
	raw, err := cobsDecode(block)
	if err != nil {
		return Frame{}, err
	}
	if len(raw) < overhead {
		return Frame{}, ErrShort
	}
	n := len(raw) - 4
	if binary.BigEndian.Uint32(raw[n:]) != crc32.Checksum(raw[:n], castagnoli) {
		return Frame{}, ErrCRC
	}
	if n-3 > MaxPayload {
		return Frame{}, ErrOversize
	}
	return Frame{Type: raw[0], Seq: binary.BigEndian.Uint16(raw[1:]), Payload: raw[3:n]}, nil
}

// Decoder splits a byte stream into frames. Bytes that do not form a good frame are dropped and
// counted; decoding resumes after the next zero byte, so no corruption wedges the stream.
type Decoder struct {
	buf       []byte
	overflow  bool
	Bad       int   // blocks dropped
	LastError error // why the last one was dropped
}

// Feed consumes bytes and returns the frames they complete.
func (d *Decoder) Feed(p []byte) []Frame {
	var out []Frame
	for _, b := range p {
		if b != 0 {
			if len(d.buf) < 2*(MaxPayload+overhead) {
				d.buf = append(d.buf, b)
			} else {
				d.overflow = true
			}
			continue
		}
		switch {
		case d.overflow:
			d.Bad++
			d.LastError = ErrOversize
		case len(d.buf) == 0:
			// back-to-back delimiters: idle fill, not an error
		default:
			f, err := Decode(d.buf)
			if err != nil {
				d.Bad++
				d.LastError = err
			} else {
				out = append(out, f)
			}
		}
		d.buf = d.buf[:0]
		d.overflow = false
	}
	return out
}
