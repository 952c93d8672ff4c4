//go:build verilator && !boardsim

package vboard

// The simulated board is lr_router (make vsim builds it into build/vboard).

/*
#cgo LDFLAGS: ${SRCDIR}/../../build/vboard/libvboard.a ${SRCDIR}/../../build/vboard/obj/Vlr_router__ALL.a ${SRCDIR}/../../build/vsim/libverilated.a -lz -lstdc++ -lm -lpthread
*/
import "C"
