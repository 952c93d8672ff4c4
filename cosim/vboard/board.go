//go:build verilator

package vboard

/*
#cgo CFLAGS: -I${SRCDIR}/csrc
#include <stdlib.h>
#include "vboard.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Available reports whether this binary contains the Verilated board.
const Available = true

// Board is one simulated board. Not safe for concurrent use.
type Board struct {
	h    *C.vboard
	info Info
	// frames pushed since the last run, handed to the shim in one call
	pend     []byte
	pendLens []C.uint32_t
	pendPort []C.int32_t
}

// New builds a simulated board, applies reset and releases it.
func New(o Options) (*Board, error) {
	var co C.vboard_opts
	co.uart_div = C.uint32_t(normDiv(o.UARTDiv))
	co.link_ports = C.uint32_t(o.LinkPorts)
	if o.WavePath != "" {
		p := C.CString(o.WavePath)
		defer C.free(unsafe.Pointer(p))
		co.wave_path = p
	}
	h := C.vboard_new(&co)
	if h == nil {
		return nil, fmt.Errorf("vboard: cannot create the simulation")
	}
	info := BuildInfo()
	if !info.IsBoardTop() {
		info.LinkPorts = o.LinkPorts & info.ExtPorts
	}
	return &Board{h: h, info: info}, nil
}

func normDiv(d int) int {
	if d == 0 {
		return DefaultUARTDiv
	}
	if d < 4 {
		return 4
	}
	if d > 0xFFFF {
		return 0xFFFF
	}
	return d
}

// BuildInfo reports the parameters the board was built with.
func BuildInfo() Info {
	var ci C.vboard_info
	C.vboard_info_get(&ci)
	return Info{Ports: int(ci.n_ports), DataWidth: int(ci.data_width), LPM: int(ci.lpm_entries),
		Adj: int(ci.adj_entries), RAddr: int(ci.raddr_entries), MaxFrameBytes: int(ci.max_frame_bytes),
		ClkHz: int(ci.clk_hz), RxBufBytes: int(ci.rx_buf_bytes), RespBufBytes: int(ci.resp_buf_bytes),
		BuildID: uint32(ci.build_id), BuildDate: uint32(ci.build_date),
		ExtPorts: uint32(ci.ext_ports), LinkPorts: uint32(ci.link_ports), Board: C.GoString(ci.board)}
}

// Info returns the build's parameters.
func (b *Board) Info() Info { return b.info }

// Close frees the simulation and closes its waveform.
func (b *Board) Close() error {
	if b.h != nil {
		C.vboard_free(b.h)
		b.h = nil
	}
	return nil
}

// UARTWrite queues bytes for the uart_rx pin (copied); they go out back to back, 8N1.
func (b *Board) UARTWrite(p []byte) {
	if len(p) == 0 {
		return
	}
	C.vboard_uart_write(b.h, (*C.uint8_t)(unsafe.Pointer(&p[0])), C.size_t(len(p)))
}

// UARTRead returns the bytes decoded from the uart_tx pin since the last call.
func (b *Board) UARTRead() []byte {
	n := int(C.vboard_uart_count(b.h))
	if n == 0 {
		return nil
	}
	buf := make([]byte, n)
	C.vboard_uart_take(b.h, (*C.uint8_t)(unsafe.Pointer(&buf[0])))
	return buf
}

// Push queues an external frame (with its FCS) for packet port port (copied): on its stream
// pins, or on a board top's RGMII port onto the receive pins as the PHY sends it. Frames for a
// port without pins (Info.ExtPorts) are ignored.
func (b *Board) Push(port int, frame []byte) {
	if len(frame) == 0 {
		return
	}
	b.pend = append(b.pend, frame...)
	b.pendLens = append(b.pendLens, C.uint32_t(len(frame)))
	b.pendPort = append(b.pendPort, C.int32_t(port))
}

func (b *Board) flush() {
	if len(b.pendLens) == 0 {
		return
	}
	buf := C.CBytes(b.pend)
	defer C.free(buf)
	C.vboard_push(b.h, (*C.uint8_t)(buf), &b.pendLens[0], &b.pendPort[0], C.int(len(b.pendLens)))
	b.pend, b.pendLens, b.pendPort = b.pend[:0], b.pendLens[:0], b.pendPort[:0]
}

// Run clocks until every queued UART byte and frame has entered, the core is idle, the link has
// nothing to send and uart_tx has been idle for 2 character times (idle = true), or until
// maxCycles clocks have passed (idle = false).
func (b *Board) Run(maxCycles uint64) (cycles uint64, idle bool) {
	b.flush()
	var ci C.int
	c := C.vboard_run(b.h, C.uint64_t(maxCycles), &ci)
	return uint64(c), ci != 0
}

// Out returns the frames that left non-link ports since the last call, in the order they ended
// (on a board top's RGMII port: decoded from its transmit pins, preamble and SFD removed).
func (b *Board) Out() []Frame {
	n := int(C.vboard_out_count(b.h))
	if n == 0 {
		return nil
	}
	total := int(C.vboard_out_bytes(b.h))
	buf := make([]byte, total+1)
	lens := make([]C.uint32_t, n)
	ports := make([]C.int32_t, n)
	C.vboard_take(b.h, (*C.uint8_t)(unsafe.Pointer(&buf[0])), &lens[0], &ports[0])
	out := make([]Frame, n)
	off := 0
	for i := range out {
		l := int(lens[i])
		out[i] = Frame{Port: int(ports[i]), Data: buf[off : off+l : off+l]}
		off += l
	}
	return out
}

// Reset holds rst for that many clocks (at least 1). The tables' RAM keeps its content
// (rtl/core/README.md); the link forgets ATTACHED and its kept answer. A UART character or a
// port frame half sent is abandoned; queued ones enter after the reset.
func (b *Board) Reset(cycles int) {
	b.flush()
	C.vboard_reset(b.h, C.int(cycles))
}

// SetUARTDiv changes the UART divisor: the RTL's cfg_uart_div and the shim's bit driver and
// sampler, from the next character on. Change it while the link is idle.
func (b *Board) SetUARTDiv(div int) { C.vboard_set_uart_div(b.h, C.uint32_t(normDiv(div))) }

// Cycles is the number of clocks since the board was created.
func (b *Board) Cycles() uint64 { return uint64(C.vboard_cycles(b.h)) }

// Stats returns the shim's counters.
func (b *Board) Stats() Stats {
	var cs C.vboard_stats
	C.vboard_stats_get(b.h, &cs)
	return Stats{UARTFramingErrors: uint64(cs.uart_framing_errors), ProtocolErrors: uint64(cs.protocol_errors)}
}
