package link

import (
	"bytes"
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

func randFrame(r *rand.Rand) Frame {
	n := r.IntN(600)
	if r.IntN(20) == 0 {
		n = r.IntN(MaxPayload + 1)
	}
	p := make([]byte, n)
	for i := range p {
		if r.IntN(4) == 0 {
			p[i] = 0 // plenty of zeros for COBS to escape
		} else {
			p[i] = byte(r.Uint32())
		}
	}
	return Frame{Type: uint8(r.Uint32()), Seq: uint16(r.Uint32()), Payload: p}
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	var wire []byte
	var want []Frame
	for i := 0; i < 500; i++ {
		f := randFrame(r)
		want = append(want, f)
		wire = Append(wire, f)
	}
	if bytes.Count(wire, []byte{0}) != len(want) {
		t.Fatal("a zero byte inside an encoded frame")
	}
	var d Decoder
	var got []Frame
	for len(wire) > 0 { // feed in odd-sized pieces
		n := min(len(wire), 1+r.IntN(97))
		got = append(got, d.Feed(wire[:n])...)
		wire = wire[n:]
	}
	if d.Bad != 0 || len(got) != len(want) {
		t.Fatalf("decoded %d of %d frames, %d bad (%v)", len(got), len(want), d.Bad, d.LastError)
	}
	for i := range want {
		if got[i].Type != want[i].Type || got[i].Seq != want[i].Seq || !bytes.Equal(got[i].Payload, want[i].Payload) {
			t.Fatalf("frame %d differs", i)
		}
	}
}

// TestKnownCRC pins the CRC to CRC-32C's check value, so the RTL side can be checked against the
// same number.
func TestKnownCRC(t *testing.T) {
	if c := crc32.Checksum([]byte("123456789"), castagnoli); c != 0xE3069283 {
		t.Fatalf("CRC-32C check value %08x", c)
	}
	if got := cobsEncode(nil, []byte{0x11, 0x00, 0x00, 0x22}); !bytes.Equal(got, []byte{0x02, 0x11, 0x01, 0x02, 0x22}) {
		t.Fatalf("COBS of 11 00 00 22 = % x", got)
	}
}

// TestCorruptionNeverDeliversAWrongFrame flips, drops and duplicates bytes at about 1 in 1000:
// every frame delivered equals one that was sent, and the stream never stops decoding.
func TestCorruptionNeverDeliversAWrongFrame(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	sent := map[string]bool{}
	var wire []byte
	for i := 0; i < 3000; i++ {
		f := randFrame(r)
		f.Payload = f.Payload[:min(len(f.Payload), 32)]
		f.Seq = uint16(i)
		sent[string(Append(nil, f))] = true
		wire = Append(wire, f)
	}
	var noisy []byte
	faults := 0
	for _, b := range wire {
		switch r.IntN(1000) {
		case 0:
			noisy = append(noisy, b^byte(1+r.IntN(255)))
			faults++
		case 1:
			faults++ // dropped
		case 2:
			noisy = append(noisy, b, b)
			faults++
		default:
			noisy = append(noisy, b)
		}
	}
	var d Decoder
	got := d.Feed(noisy)
	for _, f := range got {
		if !sent[string(Append(nil, f))] {
			t.Fatalf("delivered a frame that was never sent: seq %d", f.Seq)
		}
	}
	// one fault spoils at most two frames (a lost delimiter merges two)
	if len(got) < 3000-2*faults {
		t.Fatalf("only %d of 3000 frames survived %d faults", len(got), faults)
	}
	t.Logf("%d faults: %d frames delivered, %d dropped as bad", faults, len(got), d.Bad)
	// after the noise, a clean frame still decodes
	if f := d.Feed(Append(nil, Frame{Type: 1, Seq: 7})); len(f) != 1 || f[0].Seq != 7 {
		t.Fatal("decoder wedged after noise")
	}
}

func TestOversizeResyncs(t *testing.T) {
	var d Decoder
	junk := bytes.Repeat([]byte{0x5A}, 3*MaxPayload)
	got := d.Feed(append(append(junk, 0), Append(nil, Frame{Type: 2, Seq: 3, Payload: []byte{0}})...))
	if len(got) != 1 || d.Bad != 1 || d.LastError != ErrOversize {
		t.Fatalf("got %d frames, %d bad (%v)", len(got), d.Bad, d.LastError)
	}
}

func FuzzDecoder(f *testing.F) {
	f.Add(Append(nil, Frame{Type: 1, Seq: 2, Payload: []byte{0, 1, 0}}))
	f.Add([]byte{0, 0, 1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Decoder
		for _, fr := range d.Feed(b) {
			if len(fr.Payload) > MaxPayload {
				t.Fatal("oversize frame delivered")
			}
			// a delivered frame re-encodes to a block that decodes to itself
			g, err := Decode(bytes.TrimSuffix(Append(nil, fr), []byte{0}))
			if err != nil || g.Seq != fr.Seq || !bytes.Equal(g.Payload, fr.Payload) {
				t.Fatal("delivered frame does not round-trip")
			}
		}
	})
}
