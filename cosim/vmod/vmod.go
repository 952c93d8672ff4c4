//go:build verilator

// Package vmod runs single RTL modules, Verilated on their own, for their per-module tests. Each
// module's ports are a plain struct shared with the C shim (csrc/vmod.h); a call evaluates a
// whole batch. Built by `make vsim` (build/vmod) and linked with the `verilator` tag.
package vmod

/*
#cgo CFLAGS: -I${SRCDIR}/csrc
#cgo LDFLAGS: ${SRCDIR}/../../build/vmod/libvmod.a ${SRCDIR}/../../build/vmod/crc32/Vlr_crc32__ALL.a ${SRCDIR}/../../build/vmod/ipcsum8/Vlr_ip_checksum8__ALL.a ${SRCDIR}/../../build/vmod/ipcsum128/Vlr_ip_checksum128__ALL.a ${SRCDIR}/../../build/vmod/libvmod.a -lstdc++ -lm -lpthread
#include "vmod.h"
*/
import "C"

import "unsafe"

// CRC32Beat is one evaluation of lr_crc32 (DATA_WIDTH 64).
type CRC32Beat struct {
	Data  uint64 // byte j at bits 8j+7..8j
	CRCIn uint32
	Keep  uint8
	En    bool
	Out   uint32 // set by CRC32
}

// CRC32 evaluates lr_crc32 on every beat of the batch and fills Out.
func CRC32(beats []CRC32Beat) {
	if len(beats) == 0 {
		return
	}
	io := make([]C.vmod_crc32_io, len(beats))
	for i, b := range beats {
		io[i].data = C.uint64_t(b.Data)
		io[i].crc_in = C.uint32_t(b.CRCIn)
		io[i].keep = C.uint8_t(b.Keep)
		if b.En {
			io[i].en = 1
		}
	}
	C.vmod_crc32_eval(&io[0], C.int(len(io)))
	for i := range beats {
		beats[i].Out = uint32(io[i].crc_out)
	}
}

// IPChecksumCase is one frame streamed through lr_ip_checksum, at 8 and at 128 bits per beat.
type IPChecksumCase struct {
	Frame [80]byte // the frame's first 80 bytes (ihl is the low nibble of byte 14)
	Gaps  bool     // an idle clock after every beat
	OK8   bool     // set by IPChecksum: ok at DATA_WIDTH 8
	OK128 bool     // set by IPChecksum: ok at DATA_WIDTH 128
}

// IPChecksum streams every case through lr_ip_checksum and fills OK8 and OK128.
func IPChecksum(cs []IPChecksumCase) {
	if len(cs) == 0 {
		return
	}
	io := make([]C.vmod_ipcsum_io, len(cs))
	for i, c := range cs {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&io[i].frame[0])), 80), c.Frame[:])
		if c.Gaps {
			io[i].gaps = 1
		}
	}
	C.vmod_ipcsum_eval(&io[0], C.int(len(io)))
	for i := range cs {
		cs[i].OK8 = io[i].ok8 != 0
		cs[i].OK128 = io[i].ok128 != 0
	}
}
