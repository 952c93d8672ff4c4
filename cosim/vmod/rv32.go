//go:build verilator

package vmod

/*
#include "vmod.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// RV32Retire is one record of lr_rv32's retire trace.
type RV32Retire struct {
	PC, Insn uint32
	Rd       uint8  // register written, 0 for none
	RdV      uint32 // its value (when Rd != 0)
	MemAddr  uint32 // byte address of a load or store
	RMask    uint8  // lanes loaded
	WMask    uint8  // lanes stored
	RData    uint32 // the word read
	WData    uint32 // the word written
	Trap     bool   // the instruction trapped (and changed nothing)
	Cycle    int    // the clock it retired in, counted from the end of reset
}

// RV32Run is one program run on lr_rv32 from reset: the core fetches from address 0 (its
// RESET_PC) in Mem, with WaitMin..WaitMax wait states per access drawn from Seed.
type RV32Run struct {
	Mem              []byte // in and out: the memory (power-of-two length; addresses wrap)
	Seed             uint64
	WaitMin, WaitMax uint8
	MaxRetire        int // the run ends after this many instructions ...
	MaxCycles        int // ... or clocks, or at the first trap
	ResetAt          int // > 0: rst again at this clock, and go on from RESET_PC

	Trace       []RV32Retire // out
	Cycles      int          // clocks from the end of reset to the last retirement
	Accesses    int          // bus transfers
	BeforeReset int          // the records before the reset at ResetAt; -1: the run ended first
	Err         error        // a broken bus or halt rule
}

var rv32Errs = map[C.uint8_t]string{
	C.VMOD_RV32_ERR_CHANGED: "a bus request changed or was withdrawn before mem_ready",
	C.VMOD_RV32_ERR_ALIGN:   "mem_addr not word aligned",
	C.VMOD_RV32_ERR_HALT:    "after a trap: trap low, or mem_valid or ret_valid high",
	C.VMOD_RV32_ERR_TRAP:    "trap high without a trapping instruction retired",
	C.VMOD_RV32_ERR_RESET:   "mem_valid, ret_valid or trap high during rst",
}

// RV32 runs every program on the one lr_rv32 of the process, in one cgo call.
func RV32(runs []RV32Run) error {
	if len(runs) == 0 {
		return nil
	}
	cr := make([]C.vmod_rv32_run, len(runs))
	var memLen, traceLen int
	for i, r := range runs {
		if n := len(r.Mem); n < 4 || n&(n-1) != 0 {
			return fmt.Errorf("vmod: run %d: memory of %d bytes is not a power of two >= 4", i, n)
		}
		if r.MaxRetire < 1 || r.MaxCycles < 1 || r.WaitMax < r.WaitMin {
			return fmt.Errorf("vmod: run %d: bad limits %+v", i, r)
		}
		cr[i] = C.vmod_rv32_run{
			seed: C.uint64_t(r.Seed), mem_off: C.uint32_t(memLen), mem_size: C.uint32_t(len(r.Mem)),
			trace_off: C.uint32_t(traceLen), trace_cap: C.uint32_t(r.MaxRetire),
			max_cycles: C.uint32_t(r.MaxCycles), reset_at: C.uint32_t(r.ResetAt), wait_min: C.uint8_t(r.WaitMin), wait_max: C.uint8_t(r.WaitMax),
		}
		memLen += len(r.Mem)
		traceLen += r.MaxRetire
	}
	mem := make([]byte, memLen)
	for i, r := range runs {
		copy(mem[cr[i].mem_off:], r.Mem)
	}
	trace := make([]C.vmod_rv32_retire, traceLen)
	C.vmod_rv32_eval(&cr[0], C.int(len(cr)), (*C.uint8_t)(unsafe.Pointer(&mem[0])), &trace[0])
	for i := range runs {
		r, c := &runs[i], &cr[i]
		copy(r.Mem, mem[c.mem_off:])
		r.Trace = make([]RV32Retire, c.retired)
		for k := range r.Trace {
			t := &trace[int(c.trace_off)+k]
			r.Trace[k] = RV32Retire{
				PC: uint32(t.pc), Insn: uint32(t.insn), Rd: uint8(t.rd), RdV: uint32(t.rd_wdata),
				MemAddr: uint32(t.mem_addr), RMask: uint8(t.mem_rmask), WMask: uint8(t.mem_wmask),
				RData: uint32(t.mem_rdata), WData: uint32(t.mem_wdata), Trap: t.trap != 0,
				Cycle: int(t.cycle),
			}
		}
		r.Cycles, r.Accesses, r.BeforeReset, r.Err = int(c.cycles), int(c.accesses), int(int32(c.reset_retired)), nil
		if c.error != 0 {
			r.Err = fmt.Errorf("lr_rv32, clock %d: %s", c.error_cycle, rv32Errs[c.error])
		}
	}
	return nil
}
