// Package veth tests the gigabit Ethernet MAC (rtl/eth/lr_eth_rgmii.v) at its pins: Go encodes
// frames as RGMII receive cycles, the Verilated MAC turns them into the core-side stream, and
// what the MAC drives on its RGMII transmit pins is decoded back to bytes here.
//
// This file is the pure part (no cgo, no build tag): the RGMII and GMII codecs and the frame
// parser the tests check the MAC's output with. veth.go (build tag `verilator`, after `make
// veth`) runs the RTL.
package veth

import (
	"errors"
	"fmt"
)

// Pin bits of a Cycle.
const (
	PinData = 0x0F // RXD / TXD
	PinCtl  = 0x10 // RX_CTL / TX_CTL
	PinClk  = 0x20 // TXC (transmit side only)
)

// Cycle is one clock cycle of RGMII pins: Rise is what they carry for the rising edge of the
// clock, Fall for the falling edge (see PinData, PinCtl, PinClk).
type Cycle struct {
	Rise, Fall uint8
}

// GMII is one byte time of the MAC-side interface: a byte with its enable (RX_DV or TX_EN) and
// error (RX_ER or TX_ER) flags.
type GMII struct {
	Data   byte
	En, Er bool
}

// Preamble is what precedes every frame on the wire: 7 bytes 0x55, then the SFD 0xD5.
var Preamble = []byte{0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0xD5}

// Encode turns GMII byte times into RGMII cycles: the low nibble on the rising edge, the high
// nibble on the falling edge; CTL is En on the rising edge and En xor Er on the falling edge.
func Encode(bs []GMII) []Cycle {
	out := make([]Cycle, len(bs))
	for i, b := range bs {
		ctlR, ctlF := b.En, b.En != b.Er
		out[i] = Cycle{Rise: b.Data & 15, Fall: b.Data >> 4}
		if ctlR {
			out[i].Rise |= PinCtl
		}
		if ctlF {
			out[i].Fall |= PinCtl
		}
	}
	return out
}

// Decode turns RGMII cycles back into GMII byte times. It also checks the forwarded clock when
// withClock is set: TXC must be high for the rising half and low for the falling half of every
// cycle (edge-aligned with the data).
func Decode(cs []Cycle, withClock bool) ([]GMII, error) {
	out := make([]GMII, len(cs))
	for i, c := range cs {
		if withClock && (c.Rise&PinClk == 0 || c.Fall&PinClk != 0) {
			return nil, fmt.Errorf("cycle %d: TXC %d/%d, want 1/0", i, c.Rise>>5&1, c.Fall>>5&1)
		}
		en := c.Rise&PinCtl != 0
		out[i] = GMII{Data: c.Rise&15 | c.Fall&15<<4, En: en, Er: en != (c.Fall&PinCtl != 0)}
	}
	return out, nil
}

// Frame returns the GMII byte times of one frame on the wire: preamble, SFD, the frame.
func Frame(frame []byte) []GMII {
	out := make([]GMII, 0, len(Preamble)+len(frame))
	for _, b := range Preamble {
		out = append(out, GMII{Data: b, En: true})
	}
	for _, b := range frame {
		out = append(out, GMII{Data: b, En: true})
	}
	return out
}

// Idle returns n byte times of idle line. status is what an RTL8211F shows on RXD between frames
// (RGMII in-band status: link, speed, duplex); the MAC must ignore it.
func Idle(n int, status byte) []GMII {
	out := make([]GMII, n)
	for i := range out {
		out[i] = GMII{Data: status&15 | status&15<<4}
	}
	return out
}

// WireFrame is one frame found in a transmit byte stream.
type WireFrame struct {
	Start int    // byte time of the first preamble byte
	Gap   int    // idle byte times before it (since the previous frame; -1 for the first)
	Data  []byte // the bytes after the SFD
}

// ErrWire reports a transmit stream that breaks the framing rules.
var ErrWire = errors.New("bad transmit framing")

// Frames splits a GMII transmit stream into frames, checking that each starts with exactly the
// 7-byte preamble and SFD and carries no TX_ER. A frame still going at the end is an error.
func Frames(bs []GMII) ([]WireFrame, error) {
	var out []WireFrame
	last := -1 // byte time after the previous frame
	for i := 0; i < len(bs); {
		if !bs[i].En {
			if bs[i].Er {
				return out, fmt.Errorf("%w: byte time %d: TX_ER outside a frame", ErrWire, i)
			}
			i++
			continue
		}
		start := i
		for i < len(bs) && bs[i].En {
			if bs[i].Er {
				return out, fmt.Errorf("%w: byte time %d: TX_ER in a frame", ErrWire, i)
			}
			i++
		}
		if i == len(bs) {
			return out, fmt.Errorf("%w: frame at byte time %d runs past the end of the record", ErrWire, start)
		}
		body := bs[start:i]
		if len(body) < len(Preamble) {
			return out, fmt.Errorf("%w: byte time %d: %d bytes with TX_EN, shorter than the preamble", ErrWire, start, len(body))
		}
		for k, p := range Preamble {
			if body[k].Data != p {
				return out, fmt.Errorf("%w: byte time %d: preamble byte %d is %#02x, want %#02x", ErrWire, start+k, k, body[k].Data, p)
			}
		}
		f := WireFrame{Start: start, Gap: -1}
		if last >= 0 {
			f.Gap = start - last
		}
		for _, b := range body[len(Preamble):] {
			f.Data = append(f.Data, b.Data)
		}
		out = append(out, f)
		last = i
	}
	return out, nil
}
