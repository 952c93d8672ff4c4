package punt

import (
	"bytes"
	"errors"
	"testing"
)

func TestHeaderRoundTrip(t *testing.T) {
	hs := []Header{
		{Version: Version},
		{Seq: 0xDEADBEEF, Version: Version, Reason: TTLExpired, InPort: 3, LPMHit: true,
			LPMIndex: 0x0102, AdjIndex: 0x0304, Egress: 2, Length: 0x0506},
		{Seq: 1, Version: Version, Reason: NoRoute, InPort: 255, Egress: EgressNone, Length: 60},
	}
	for _, h := range hs {
		b := h.Marshal()
		if len(b) != HeaderLen {
			t.Fatalf("Marshal: %d bytes", len(b))
		}
		got, err := Parse(b)
		if err != nil {
			t.Fatalf("Parse(%x): %v", b, err)
		}
		if got != h {
			t.Errorf("round trip: got %+v, want %+v", got, h)
		}
		if pre := []byte{9, 9}; !bytes.Equal(h.AppendTo(pre), append([]byte{9, 9}, b...)) {
			t.Errorf("AppendTo does not append")
		}
	}
}

// The byte layout, field by field, as in rtl/core/README.md.
func TestHeaderLayout(t *testing.T) {
	h := Header{Seq: 0x01020304, Version: 1, Reason: Glean, InPort: 2, LPMHit: true,
		LPMIndex: 0x0A0B, AdjIndex: 0x0C0D, Egress: 0x0E, Length: 0x0F10}
	want := []byte{1, 2, 3, 4, 1, 6, 2, 1, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0, 0x0F, 0x10}
	if got := h.Marshal(); !bytes.Equal(got, want) {
		t.Errorf("Marshal = % x, want % x", got, want)
	}
	ih := InjectHeader{Version: 1, Port: 3}
	if got := ih.Marshal(); !bytes.Equal(got, []byte{1, 3, 0, 0, 0, 0, 0, 0}) {
		t.Errorf("inject Marshal = % x", got)
	}
}

func TestHeaderErrors(t *testing.T) {
	good := Header{Version: Version, Reason: ARP}.Marshal()
	for n := 0; n < HeaderLen; n++ {
		if _, err := Parse(good[:n]); !errors.Is(err, ErrShort) {
			t.Errorf("Parse(%d bytes) err = %v, want ErrShort", n, err)
		}
	}
	for _, v := range []byte{0, 2, 255} {
		b := append([]byte(nil), good...)
		b[4] = v
		if _, err := Parse(b); !errors.Is(err, ErrVersion) {
			t.Errorf("Parse(version %d) err = %v, want ErrVersion", v, err)
		}
	}
	// Reserved bits are ignored.
	b := append([]byte(nil), good...)
	b[7] |= 0xFE
	b[13] = 0x55
	if h, err := Parse(b); err != nil || h.LPMHit {
		t.Errorf("reserved bits: %+v, %v", h, err)
	}

	goodInj := InjectHeader{Version: Version, Port: 1}.Marshal()
	for n := 0; n < InjectHeaderLen; n++ {
		if _, err := ParseInject(goodInj[:n]); !errors.Is(err, ErrShort) {
			t.Errorf("ParseInject(%d bytes) err = %v, want ErrShort", n, err)
		}
	}
	goodInj[0] = 2
	if _, err := ParseInject(goodInj); !errors.Is(err, ErrVersion) {
		t.Errorf("ParseInject(version 2) err = %v, want ErrVersion", err)
	}
}

func TestInjectRoundTrip(t *testing.T) {
	for _, p := range []uint8{0, 1, 3, 254, 255} {
		h := InjectHeader{Version: Version, Port: p}
		got, err := ParseInject(h.Marshal())
		if err != nil || got != h {
			t.Errorf("round trip %+v: got %+v, %v", h, got, err)
		}
	}
}

func TestReasonClasses(t *testing.T) {
	for _, r := range Reasons() {
		if r.IsPunt() && r.IsDrop() {
			t.Errorf("%v is both punt and drop", r)
		}
		if (r == Forward) != (!r.IsPunt() && !r.IsDrop()) {
			t.Errorf("%v: class wrong", r)
		}
		if got, err := ParseReason(r.String()); err != nil || got != r {
			t.Errorf("ParseReason(%q) = %v, %v", r.String(), got, err)
		}
	}
}
