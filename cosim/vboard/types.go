// Package vboard runs the simulated board from Go: the Verilated lr_router (rtl/top: the data
// plane, the host link and the UART) with a bit-level UART. The host side speaks to it in bytes
// (UARTWrite, UARTRead), exactly what a serial port would carry; packet ports take and give
// frames with their FCS (Push, Out). Calls work in units of work (a batch of bytes or frames, a
// run until idle), never one signal at a time.
//
// The Verilated model is linked only when the binary is built with the `verilator` build tag
// after `make vsim` (it builds build/vboard and build/vsim/libverilated.a); without it New
// returns ErrNotBuilt.
package vboard

import "errors"

// ErrNotBuilt is returned by New in binaries built without the Verilated board.
var ErrNotBuilt = errors.New("this linerate binary was built without the Verilator board simulation (build it with `make build`, which runs Verilator and uses -tags verilator)")

// DefaultUARTDiv is the UART divisor used when Options.UARTDiv is 0 (3 Mbaud at 48 MHz).
const DefaultUARTDiv = 16

// Options configure one simulated board.
type Options struct {
	UARTDiv int // clocks per UART bit (>= 4); 0 = DefaultUARTDiv
	// LinkPorts: bit p set: port p's frames go to the host as PORT_TX; others to Out(). A board
	// top's link ports are fixed by its build (board.json link_ports): there it is ignored.
	LinkPorts uint32
	WavePath  string // FST waveform, "" = none
}

// Info are the build parameters of the Verilated board.
type Info struct {
	Ports, DataWidth, LPM, Adj, RAddr, MaxFrameBytes, ClkHz, RxBufBytes, RespBufBytes int
	BuildID, BuildDate                                                                uint32 // build identity the Makefile gave the model (git hash prefix, YYYYMMDD)
	// ExtPorts are the packet ports with pins of their own (Push, Out), bit p for port p: all of
	// them on lr_router; on a board top the ports with an Ethernet PHY (none on the iCE40 boards).
	ExtPorts uint32
	// LinkPorts are the ports whose frames go to the host over the link (PORT_TX; INJECT into
	// the pipeline reaches every port): on a board top its build's, on lr_router Options.LinkPorts.
	LinkPorts uint32
	Board     string // the board top's name (boards/<Board>/), "" for lr_router
}

// IsBoardTop says whether the simulated board is a board's pin-level top (make boardsim).
func (i Info) IsBoardTop() bool { return i.Board != "" }

// HasPins says whether port p has pins of its own (Push, Out).
func (i Info) HasPins(p int) bool { return p >= 0 && p < 32 && i.ExtPorts>>p&1 == 1 }

// IsLinkPort says whether port p's frames go to the host over the link.
func (i Info) IsLinkPort(p int) bool { return p >= 0 && p < 32 && i.LinkPorts>>p&1 == 1 }

// Frame is a frame that left a packet port (non-link ports only). Data includes the FCS.
type Frame struct {
	Port int
	Data []byte
}

// Stats are the shim's own observations.
type Stats struct {
	UARTFramingErrors uint64 // characters on uart_tx whose stop bit was 0 (the shim's sampler)
	ProtocolErrors    uint64 // port output beats that broke the AXI-Stream rules
}
