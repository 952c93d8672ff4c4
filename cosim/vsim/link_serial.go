//go:build verilator && serialcore

package vsim

// The Verilated lr_core_serial of build/vsim_serial (make vsim): the iCE40 boards' sizes at
// 8 bits, Verilated under the name Vlr_core so the same shim (csrc/lrsim.cpp) drives it. Every
// test of this package's users runs against it under `-tags verilator,serialcore`.

/*
#cgo LDFLAGS: ${SRCDIR}/../../build/vsim_serial/liblrsim.a ${SRCDIR}/../../build/vsim_serial/obj/Vlr_core__ALL.a ${SRCDIR}/../../build/vsim/libverilated.a -lz -lstdc++ -lm -lpthread
*/
import "C"

// Serial reports whether the simulated core is lr_core_serial (build tag serialcore).
const Serial = true
