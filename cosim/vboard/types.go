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
	UARTDiv   int    // clocks per UART bit (>= 4); 0 = DefaultUARTDiv
	LinkPorts uint32 // bit p set: port p's frames go to the host as PORT_TX; others to Out()
	WavePath  string // FST waveform, "" = none
}

// Info are the build parameters of the Verilated board.
type Info struct {
	Ports, DataWidth, LPM, Adj, RAddr, MaxFrameBytes, ClkHz, RxBufBytes, RespBufBytes int
	BuildID, BuildDate                                                                uint32 // build identity the Makefile gave the model (git hash prefix, YYYYMMDD)
	// ExtPorts are the packet ports with pins of their own (Push, Out): all of them on lr_router,
	// none on a board top, whose ports all travel over the host link.
	ExtPorts int
	Board    string // the board top's name (boards/<Board>/), "" for lr_router
}

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
