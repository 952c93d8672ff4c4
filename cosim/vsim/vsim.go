//go:build verilator

package vsim

/*
#cgo CFLAGS: -I${SRCDIR}/csrc
#include <stdlib.h>
#include "lrsim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Available reports whether this binary contains the Verilated pipeline.
const Available = true

// Sim is one Verilated lr_core (or lr_core_serial: link_serial.go) with its stream drivers. Not safe for concurrent use.
type Sim struct {
	h    *C.lrsim
	info Info
}

// New builds a simulation of the core, held in reset for a few clocks and then released.
func New(opt Options) (*Sim, error) {
	var co C.lrsim_opts
	co.seed = C.uint64_t(opt.Seed)
	co.in_stall_pct = C.uint32_t(opt.InStallPct)
	co.out_stall_pct = C.uint32_t(opt.OutStallPct)
	if opt.WavePath != "" {
		p := C.CString(opt.WavePath)
		defer C.free(unsafe.Pointer(p))
		co.wave_path = p
	}
	h := C.lrsim_new(&co)
	if h == nil {
		return nil, fmt.Errorf("vsim: cannot create the simulation")
	}
	return &Sim{h: h, info: BuildInfo()}, nil
}

// BuildInfo reports the parameters the simulation was built with.
func BuildInfo() Info {
	var ci C.lrsim_info
	C.lrsim_info_get(&ci)
	return Info{Ports: int(ci.n_ports), DataWidth: int(ci.data_width), LPM: int(ci.lpm_entries),
		Adj: int(ci.adj_entries), RAddr: int(ci.raddr_entries), MaxFrameBytes: int(ci.max_frame_bytes)}
}

// Info returns the build's parameters.
func (s *Sim) Info() Info { return s.info }

// Close frees the simulation and closes its waveform.
func (s *Sim) Close() error {
	if s.h != nil {
		C.lrsim_free(s.h)
		s.h = nil
	}
	return nil
}

// Bus runs register operations in one call, one clock each; reads fill Data.
func (s *Sim) Bus(ops []BusOp) {
	if len(ops) == 0 {
		return
	}
	kind := make([]C.uint8_t, len(ops))
	addr := make([]C.uint16_t, len(ops))
	data := make([]C.uint32_t, len(ops))
	for i, op := range ops {
		kind[i] = C.uint8_t(op.Kind)
		addr[i] = C.uint16_t(op.Addr)
		data[i] = C.uint32_t(op.Data)
	}
	C.lrsim_csr(s.h, &kind[0], &addr[0], &data[0], C.int(len(ops)))
	for i := range ops {
		ops[i].Data = uint32(data[i])
	}
}

// Push queues frames on their streams (Port -1 = inject) in one call.
func (s *Sim) Push(frames []Frame) {
	if len(frames) == 0 {
		return
	}
	total := 0
	for _, f := range frames {
		total += len(f.Data)
	}
	buf := C.malloc(C.size_t(total + 1))
	defer C.free(buf)
	b := unsafe.Slice((*byte)(buf), total+1)
	lens := make([]C.uint32_t, len(frames))
	ports := make([]C.int32_t, len(frames))
	off := 0
	for i, f := range frames {
		copy(b[off:], f.Data)
		off += len(f.Data)
		lens[i] = C.uint32_t(len(f.Data))
		ports[i] = C.int32_t(f.Port)
	}
	C.lrsim_push(s.h, (*C.uint8_t)(buf), &lens[0], &ports[0], C.int(len(frames)))
}

// Run clocks until everything queued has gone through and the core is idle, or maxCycles pass
// (then timedOut is true: the pipeline hung or the limit was too small).
func (s *Sim) Run(maxCycles uint64) (cycles uint64, timedOut bool) {
	var to C.int
	c := C.lrsim_run(s.h, C.uint64_t(maxCycles), &to)
	return uint64(c), to != 0
}

// Step clocks exactly n cycles.
func (s *Sim) Step(n uint64) { C.lrsim_step(s.h, C.uint64_t(n)) }

// Take returns the frames that came out since the last call. Port is the output port, or
// Ports (== Info().Ports) for the CPU queue; InPort is the tuser of port outputs.
func (s *Sim) Take() []Out {
	n := int(C.lrsim_out_count(s.h))
	if n == 0 {
		return nil
	}
	total := int(C.lrsim_out_bytes(s.h))
	buf := make([]byte, total+1)
	lens := make([]C.uint32_t, n)
	port := make([]C.int32_t, n)
	user := make([]C.int32_t, n)
	C.lrsim_take(s.h, (*C.uint8_t)(unsafe.Pointer(&buf[0])), &lens[0], &port[0], &user[0])
	out := make([]Out, n)
	off := 0
	for i := range out {
		l := int(lens[i])
		out[i] = Out{Port: int(port[i]), TUser: int(user[i]), Data: buf[off : off+l : off+l]}
		off += l
	}
	return out
}

// Cycles is the number of clocks since reset.
func (s *Sim) Cycles() uint64 { return uint64(C.lrsim_cycles(s.h)) }

// ProtocolErrors counts output beats that broke the AXI-Stream hold rule.
func (s *Sim) ProtocolErrors() uint64 { return uint64(C.lrsim_protocol_errors(s.h)) }

// RxStalls counts clocks an input offered a beat and the core did not take it.
func (s *Sim) RxStalls() uint64 { return uint64(C.lrsim_rx_stalls(s.h)) }
