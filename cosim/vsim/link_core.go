//go:build verilator && !serialcore

package vsim

// The Verilated lr_core of build/vsim (make vsim): the simulation build, 4 ports at 64 bits.

/*
#cgo LDFLAGS: ${SRCDIR}/../../build/vsim/liblrsim.a ${SRCDIR}/../../build/vsim/obj/Vlr_core__ALL.a ${SRCDIR}/../../build/vsim/libverilated.a -lz -lstdc++ -lm -lpthread
*/
import "C"

// Serial reports whether the simulated core is lr_core_serial (build tag serialcore).
const Serial = false
