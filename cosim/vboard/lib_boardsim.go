//go:build verilator && boardsim

package vboard

// With the boardsim tag the simulated board is a board's pin-level top, the one its bitstream is
// built from (make boardsim BOARD=NAME builds it into build/boardsim).

/*
#cgo LDFLAGS: ${SRCDIR}/../../build/boardsim/libvboard.a ${SRCDIR}/../../build/boardsim/obj/Vlr_router__ALL.a ${SRCDIR}/../../build/vsim/libverilated.a -lz -lstdc++ -lm -lpthread
*/
import "C"
