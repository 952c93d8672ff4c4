//go:build verilator

// Package vmod runs single RTL modules, Verilated on their own, for their per-module tests. Each
// module's ports are a plain struct shared with the C shim (csrc/vmod.h); a call evaluates a
// whole batch. Built by `make vsim` (build/vmod) and linked with the `verilator` tag.
package vmod

/*
#cgo CFLAGS: -I${SRCDIR}/csrc
#cgo LDFLAGS: ${SRCDIR}/../../build/vmod/libvmod.a ${SRCDIR}/../../build/vmod/crc32/Vlr_crc32__ALL.a ${SRCDIR}/../../build/vmod/ipcsum8/Vlr_ip_checksum8__ALL.a ${SRCDIR}/../../build/vmod/ipcsum128/Vlr_ip_checksum128__ALL.a ${SRCDIR}/../../build/vmod/tcam/Vlr_lpm_tcam_bram__ALL.a ${SRCDIR}/../../build/vmod/rv32/Vlr_rv32__ALL.a ${SRCDIR}/../../build/vmod/linkfifo/Vlr_link_fifo__ALL.a ${SRCDIR}/../../build/vmod/libvmod.a -lstdc++ -lm -lpthread
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

// TCAMEntries is the ENTRIES the harness builds lr_lpm_tcam_bram with.
const TCAMEntries = C.VMOD_TCAM_ENTRIES

// TCAMClock is one clock of lr_lpm_tcam_bram: the inputs before the edge, the outputs after it.
type TCAMClock struct {
	Rst      bool
	Lookup   bool   // req_valid
	Key      uint32 // req_key
	Write    bool   // tbl_lpm_we
	Read     bool   // tbl_lpm_re
	Index    uint16
	WrValid  bool
	WrValue  uint32
	WrMask   uint32
	WrAdj    uint16
	Resp     bool // resp_valid (3 clocks after Lookup)
	Hit      bool
	HitIndex uint16
	HitAdj   uint16
	RdValid  bool
	RdValue  uint32
	RdMask   uint32
	RdAdj    uint16
	Busy     bool
}

// TCAMStep runs one clock of the harness's lr_lpm_tcam_bram (one instance for the process).
func TCAMStep(c *TCAMClock) {
	var io C.vmod_tcam_io
	b := func(v bool) C.uint8_t {
		if v {
			return 1
		}
		return 0
	}
	io.rst, io.req_valid, io.req_key = b(c.Rst), b(c.Lookup), C.uint32_t(c.Key)
	io.we, io.re, io.index = b(c.Write), b(c.Read), C.uint16_t(c.Index)
	io.wr_valid, io.wr_value, io.wr_mask, io.wr_adj = b(c.WrValid), C.uint32_t(c.WrValue), C.uint32_t(c.WrMask), C.uint16_t(c.WrAdj)
	C.vmod_tcam_step(&io)
	c.Resp, c.Hit, c.HitIndex, c.HitAdj = io.resp_valid != 0, io.resp_hit != 0, uint16(io.resp_index), uint16(io.resp_adj)
	c.RdValid, c.RdValue, c.RdMask, c.RdAdj = io.rd_valid != 0, uint32(io.rd_value), uint32(io.rd_mask), uint16(io.rd_adj)
	c.Busy = io.busy != 0
}

// LinkFIFO sizes of the harness's lr_link_fifo (DATA_WIDTH 8, TAG_WIDTH 2, SINGLE_PORT 1).
const (
	LinkFIFOBytes  = C.VMOD_LINKFIFO_BYTES
	LinkFIFOFrames = C.VMOD_LINKFIFO_FRAMES
)

// LinkFIFOClock is one clock of the harness's lr_link_fifo: the inputs before the edge, the
// outputs after it.
type LinkFIFOClock struct {
	Rst, InValid, InLast, OutReady bool
	InData, InDest                 uint8
	OutValid, OutLast, Drop, Empty bool
	OutData, OutDest, DropTag      uint8
}

// LinkFIFORun runs the clocks in order (one instance for the process, state kept between calls).
func LinkFIFORun(cs []LinkFIFOClock) {
	if len(cs) == 0 {
		return
	}
	b := func(v bool) C.uint8_t {
		if v {
			return 1
		}
		return 0
	}
	io := make([]C.vmod_linkfifo_io, len(cs))
	for i, c := range cs {
		io[i].rst, io[i].s_valid, io[i].s_last, io[i].m_ready = b(c.Rst), b(c.InValid), b(c.InLast), b(c.OutReady)
		io[i].s_data, io[i].s_dest = C.uint8_t(c.InData), C.uint8_t(c.InDest)
	}
	C.vmod_linkfifo_run(&io[0], C.int(len(io)))
	for i := range cs {
		o := &io[i]
		cs[i].OutValid, cs[i].OutLast, cs[i].Drop, cs[i].Empty = o.m_valid != 0, o.m_last != 0, o.drop != 0, o.empty != 0
		cs[i].OutData, cs[i].OutDest, cs[i].DropTag = uint8(o.m_data), uint8(o.m_dest), uint8(o.drop_tag)
	}
}
