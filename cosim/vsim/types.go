// Package vsim runs the Verilated data plane (rtl/core/lr_core.v) from Go. Calls work in units
// of work (a batch of frames, a burst of register operations, a run until idle), never one
// signal at a time: one cgo call costs about as much as a few clocks of the design.
//
// The Verilated model is linked only when the binary is built with the `verilator` build tag
// after `make vsim` (the Makefile does both); without it New returns ErrNotBuilt.
package vsim

import "errors"

// ErrNotBuilt is returned by New in binaries built without the Verilated model.
var ErrNotBuilt = errors.New("this linerate binary was built without the Verilator simulation (build it with `make build`, which runs Verilator and uses -tags verilator)")

// Options configure one simulation run.
type Options struct {
	Seed        uint64 // stall pattern seed
	InStallPct  int    // % of clocks an input inserts a gap before a beat
	OutStallPct int    // % of clocks an output holds tready low
	WavePath    string // write an FST waveform here ("" for none)
}

// Info are the build parameters of the Verilated core.
type Info struct {
	Ports, DataWidth, LPM, Adj, RAddr, MaxFrameBytes int
}

// BusOp is one register-bus operation.
type BusOp struct {
	Kind uint8 // BusWrite, BusRead or BusWait
	Addr uint16
	Data uint32 // written value, value read, or clocks to wait
}

// Bus operation kinds.
const (
	BusWrite uint8 = 0
	BusRead  uint8 = 1
	BusWait  uint8 = 2
)

// Frame is a frame to send into the core: on port Port (with its FCS), or Port -1 for the
// inject stream (inject header + frame).
type Frame struct {
	Port int
	Data []byte
}

// Out is a frame that left the core.
type Out struct {
	Port  int // output port, or the number of ports for the CPU queue
	TUser int // ingress port carried in tuser (port outputs; 255 = injected)
	Data  []byte
}
