//go:build verilator && !boardsim

package vboard

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

func TestHello(t *testing.T) {
	h := newHost(t, Options{})
	info := h.b.Info()
	p := h.hello()
	if len(p) != 60 {
		t.Fatalf("HELLO_R payload %d bytes, want 60", len(p))
	}
	be16 := func(i int) int { return int(binary.BigEndian.Uint16(p[i:])) }
	be32 := func(i int) uint32 { return binary.BigEndian.Uint32(p[i:]) }
	if p[0] != attached|stOK {
		t.Errorf("status %#x, want ATTACHED|OK", p[0])
	}
	if p[1] != 1 {
		t.Errorf("link version %d", p[1])
	}
	if be16(2) != info.RxBufBytes || be16(4) != info.RespBufBytes || be16(6) != DefaultUARTDiv || int(be32(8)) != info.ClkHz {
		t.Errorf("facts: rx %d resp %d div %d clk %d", be16(2), be16(4), be16(6), be32(8))
	}
	want := []uint32{0x4C4E5254, 0x00010001, info.BuildID, uint32(info.Ports), uint32(info.LPM), uint32(info.Adj),
		uint32(info.RAddr), uint32(info.DataWidth), uint32(info.MaxFrameBytes)}
	for i, w := range want {
		if got := be32(12 + 4*i); got != w {
			t.Errorf("register word %d = %#x, want %#x", i, got, w)
		}
	}
	t.Logf("cycles %d, stats %+v", h.b.Cycles(), h.b.Stats())
}

func TestWaveform(t *testing.T) {
	path := filepath.Join(t.TempDir(), "board.fst")
	h := newHost(t, Options{UARTDiv: 4, WavePath: path})
	h.hello()
	h.b.Close()
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Fatalf("waveform: %v", err)
	}
}
