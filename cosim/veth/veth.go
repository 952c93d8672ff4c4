//go:build verilator

package veth

/*
#cgo CFLAGS: -I${SRCDIR}/csrc
#cgo LDFLAGS: ${SRCDIR}/../../build/veth/libveth.a ${SRCDIR}/../../build/veth/obj/Vlr_eth_rgmii__ALL.a ${SRCDIR}/../../build/veth/libveth.a -lz -lstdc++ -lm -lpthread
#include <stdlib.h>
#include "veth.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Options configure a simulated port: the three clock periods (zero: 125 MHz receive and transmit
// clocks, a 48 MHz core clock) and an optional FST waveform.
type Options struct {
	RxPeriodPS   uint32 // RXC, the PHY's receive clock
	TxPeriodPS   uint32 // tx_clk, forwarded as TXC
	CorePeriodPS uint32 // the core clock of both streams
	WavePath     string // write an FST waveform here ("" for none)
}

// Beat is one byte of a core-side frame stream.
type Beat struct {
	Data byte
	Last bool
}

// Pace bits, one Pace byte per core clock.
const (
	PaceRxReady = 1 // m_axis_rx_tready
	PaceTxValid = 2 // a new s_axis_tx beat may be offered (an offered beat is held until taken)
)

// Run is one batch of work: inputs used from the start, then TailPS more (MaxPS at most).
type Run struct {
	RX     []Cycle // receive pins, one per RXC cycle; the last one repeats afterwards
	TX     []Beat  // frames to send, beat by beat
	Pace   []uint8 // per core clock, used cyclically; nil: always ready, always valid
	TailPS uint64  // run this long once RX is used up and TX all taken
	MaxPS  uint64  // never longer than this
}

// Stats are the MAC's stat_* counters.
type Stats struct {
	RxDropOverflow, RxDropError, TxDropOversize uint32
}

// Result is what came out of a Run.
type Result struct {
	TXPins         []Cycle // transmit pins, one per TXC cycle
	RX             []Beat  // the core-side receive stream
	TxTaken        int     // beats of Run.TX the MAC accepted
	TimedOut       bool    // MaxPS passed before the inputs were used up
	RanPS          uint64
	ProtocolErrors uint64 // m_axis_rx broke the stream rules (tvalid or data changed while stalled)
	Stats          Stats
}

// ErrClosed is returned by Run after Close.
var ErrClosed = errors.New("veth: simulation closed")

// Sim is one Verilated lr_eth_rgmii, reset and idle after New.
type Sim struct {
	h            *C.veth
	txPS, corePS uint64 // clock periods, to size a Run's output arrays
}

// New builds and resets a simulated port.
func New(o Options) (*Sim, error) {
	var co C.veth_opts
	co.rx_period_ps = C.uint32_t(o.RxPeriodPS)
	co.tx_period_ps = C.uint32_t(o.TxPeriodPS)
	co.core_period_ps = C.uint32_t(o.CorePeriodPS)
	if o.WavePath != "" {
		p := C.CString(o.WavePath)
		defer C.free(unsafe.Pointer(p))
		co.wave_path = p
	}
	s := &Sim{txPS: 8000, corePS: 20833}
	if o.TxPeriodPS != 0 {
		s.txPS = uint64(o.TxPeriodPS)
	}
	if o.CorePeriodPS != 0 {
		s.corePS = uint64(o.CorePeriodPS)
	}
	s.h = C.veth_new(&co)
	return s, nil
}

// Close frees the model (and finishes the waveform).
func (s *Sim) Close() error {
	if s.h != nil {
		C.veth_free(s.h)
		s.h = nil
	}
	return nil
}

// Run clocks the port through one batch; state carries over to the next Run.
func (s *Sim) Run(r Run) (Result, error) {
	if s.h == nil {
		return Result{}, ErrClosed
	}
	var a C.veth_run_args
	a.tail_ps = C.uint64_t(r.TailPS)
	a.max_ps = C.uint64_t(r.MaxPS)

	// Every array below lives in C memory: the args struct holds pointers, and cgo forbids
	// passing Go memory that holds Go pointers.
	rx := cArray[C.veth_rgmii](len(r.RX))
	defer C.free(unsafe.Pointer(unsafe.SliceData(rx)))
	for i, c := range r.RX {
		rx[i] = C.veth_rgmii{rise: C.uint8_t(c.Rise), fall: C.uint8_t(c.Fall)}
	}
	a.rx, a.rx_n = unsafe.SliceData(rx), C.uint32_t(len(r.RX))

	tx := cArray[C.veth_beat](len(r.TX))
	defer C.free(unsafe.Pointer(unsafe.SliceData(tx)))
	for i, b := range r.TX {
		tx[i].data = C.uint8_t(b.Data)
		if b.Last {
			tx[i].last = 1
		}
	}
	a.tx, a.tx_n = unsafe.SliceData(tx), C.uint32_t(len(r.TX))

	pace := cArray[C.uint8_t](len(r.Pace))
	defer C.free(unsafe.Pointer(unsafe.SliceData(pace)))
	for i, p := range r.Pace {
		pace[i] = C.uint8_t(p)
	}
	if len(r.Pace) > 0 {
		a.pace, a.pace_n = unsafe.SliceData(pace), C.uint32_t(len(r.Pace))
	}

	txCap := r.MaxPS/s.txPS + 16 // one per TXC cycle
	txpins := cArray[C.veth_rgmii](int(txCap))
	defer C.free(unsafe.Pointer(unsafe.SliceData(txpins)))
	a.txpins, a.txpins_cap = unsafe.SliceData(txpins), C.uint32_t(txCap)

	rxCap := r.MaxPS/s.corePS + 16 // at most one beat per core clock
	rxout := cArray[C.veth_beat](int(rxCap))
	defer C.free(unsafe.Pointer(unsafe.SliceData(rxout)))
	a.rxout, a.rxout_cap = unsafe.SliceData(rxout), C.uint32_t(rxCap)

	C.veth_run(s.h, &a)

	res := Result{
		TxTaken:        int(a.tx_taken),
		TimedOut:       a.timed_out != 0,
		RanPS:          uint64(a.ran_ps),
		ProtocolErrors: uint64(a.protocol_errors),
		Stats: Stats{
			RxDropOverflow: uint32(a.stat_rx_drop_overflow),
			RxDropError:    uint32(a.stat_rx_drop_error),
			TxDropOversize: uint32(a.stat_tx_drop_oversize),
		},
	}
	for _, c := range txpins[:a.txpins_n] {
		res.TXPins = append(res.TXPins, Cycle{Rise: uint8(c.rise), Fall: uint8(c.fall)})
	}
	for _, b := range rxout[:a.rxout_n] {
		res.RX = append(res.RX, Beat{Data: byte(b.data), Last: b.last != 0})
	}
	if a.lost != 0 {
		return res, errors.New("veth: output arrays too small (a bug in Run's sizing)")
	}
	return res, nil
}

// cArray allocates n zeroed elements in C memory (at least one, so the pointer is never nil).
func cArray[T any](n int) []T {
	if n < 1 {
		n = 1
	}
	var z T
	p := C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(z)))
	return unsafe.Slice((*T)(p), n)
}
