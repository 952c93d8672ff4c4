package veth

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// TestCodecRoundTrip encodes random byte times (enables and errors included) to RGMII and back.
func TestCodecRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	in := make([]GMII, 5000)
	for i := range in {
		in[i] = GMII{Data: byte(r.Uint32()), En: r.IntN(2) == 0, Er: r.IntN(5) == 0}
	}
	cs := Encode(in)
	for i := range cs {
		cs[i].Rise |= PinClk
	}
	out, err := Decode(cs, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if in[i] != out[i] {
			t.Fatalf("byte time %d: encoded %+v, decoded %+v", i, in[i], out[i])
		}
	}
	cs[7].Fall |= PinClk
	if _, err := Decode(cs, true); err == nil {
		t.Fatal("TXC high in the falling half not reported")
	}
}

// TestEncodeNibbles pins the RGMII bit order down: low nibble and RX_DV on the rising edge.
func TestEncodeNibbles(t *testing.T) {
	got := Encode([]GMII{{Data: 0xD5, En: true}, {Data: 0x3C, En: true, Er: true}, {Data: 0xAB}})
	want := []Cycle{{Rise: 0x5 | PinCtl, Fall: 0xD | PinCtl}, {Rise: 0xC | PinCtl, Fall: 0x3}, {Rise: 0xB, Fall: 0xA}}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("cycle %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestFrames parses a stream of frames with gaps and rejects broken framing.
func TestFrames(t *testing.T) {
	a, b := buildFrame(64, 1), buildFrame(100, 2)
	var s []GMII
	s = append(s, Idle(5, 0)...)
	s = append(s, Frame(a)...)
	s = append(s, Idle(12, 0)...)
	s = append(s, Frame(b)...)
	s = append(s, Idle(3, 0)...)
	fs, err := Frames(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || !bytes.Equal(fs[0].Data, a) || !bytes.Equal(fs[1].Data, b) || fs[0].Gap != -1 || fs[1].Gap != 12 {
		t.Fatalf("parsed %+v", fs)
	}
	for name, mutate := range map[string]func([]GMII){
		"short preamble": func(s []GMII) { s[5].En = false },
		"bad SFD":        func(s []GMII) { s[12].Data = 0x55 },
		"TX_ER":          func(s []GMII) { s[40].Er = true },
		"cut off":        func(s []GMII) { s[len(s)-1].En, s[len(s)-2].En, s[len(s)-3].En = true, true, true },
	} {
		m := append([]GMII(nil), s...)
		mutate(m)
		if _, err := Frames(m); !errors.Is(err, ErrWire) {
			t.Errorf("%s: got %v, want ErrWire", name, err)
		}
	}
}

// TestBuildFrame checks the test frames: exact length, good FCS, decodable, numbered.
func TestBuildFrame(t *testing.T) {
	for _, n := range []int{64, 65, 127, 1518, 3000} {
		f := buildFrame(n, uint32(n))
		if len(f) != n || !fcsOK(f) || seqOf(f) != uint32(n) {
			t.Fatalf("buildFrame(%d): %s, seq %d", n, describe(f), seqOf(f))
		}
	}
}
