package transporttest

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/bits"
	"net"
	"testing"
)

func stream(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

// through sends data through a Faulty host end in one direction and returns what arrives.
// toDevice: host Write -> device; otherwise device Write -> host Read. chunk cuts the stream.
func through(t *testing.T, opt FaultOptions, toDevice bool, data []byte, chunk int) ([]byte, FaultStats) {
	t.Helper()
	host, dev := Pipe()
	f := Faulty(host, opt)
	defer f.Close()
	defer dev.Close()
	w, r := io.Writer(dev), io.Reader(f)
	if toDevice {
		w, r = f, dev
	}
	for i := 0; i < len(data); i += chunk {
		if _, err := w.Write(data[i:min(len(data), i+chunk)]); err != nil {
			t.Fatal(err)
		}
	}
	if toDevice {
		f.Close() // the device reads to EOF
	} else {
		dev.Close()
	}
	var got bytes.Buffer
	buf := make([]byte, chunk)
	for {
		n, err := r.Read(buf)
		got.Write(buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return got.Bytes(), f.Stats()
}

func TestFaultyRateZeroIsTransparent(t *testing.T) {
	data := stream(100000)
	for _, toDev := range []bool{false, true} {
		got, st := through(t, FaultOptions{Seed: 1}, toDev, data, 4096)
		if !bytes.Equal(got, data) || st.Faults() != 0 {
			t.Fatalf("toDevice=%v: %d faults, equal=%v", toDev, st.Faults(), bytes.Equal(got, data))
		}
	}
	host, dev := Pipe()
	defer dev.Close()
	CheckConn(t, Faulty(host, FaultOptions{Seed: 1}), dev)
}

func TestFaultyFlip(t *testing.T) {
	data := stream(200000)
	for _, toDev := range []bool{false, true} {
		got, st := through(t, FaultOptions{Seed: 7, Rate: 0.01, Flip: true}, toDev, data, 1000)
		c := st.Read
		if toDev {
			c = st.Write
		}
		if len(got) != len(data) || c.Dropped+c.Duplicated != 0 || c.Bytes != int64(len(data)) {
			t.Fatalf("toDevice=%v: len %d, counts %+v", toDev, len(got), c)
		}
		diff := 0
		for i := range got {
			if got[i] != data[i] {
				diff++
				if bits.OnesCount8(got[i]^data[i]) != 1 {
					t.Fatalf("byte %d: 0x%02x became 0x%02x, not one bit flipped", i, data[i], got[i])
				}
			}
		}
		if int64(diff) != c.Flipped {
			t.Fatalf("%d bytes differ, Flipped = %d", diff, c.Flipped)
		}
		// 2000 expected; 5 sigma is about 220.
		if math.Abs(float64(diff)-2000) > 250 {
			t.Fatalf("%d flips in %d bytes at rate 0.01", diff, len(data))
		}
		if other := st.Read.Faults() + st.Write.Faults() - c.Faults(); other != 0 {
			t.Fatalf("%d faults counted in the idle direction", other)
		}
	}
}

// isSubsequence reports whether a is b with some bytes left out.
func isSubsequence(a, b []byte) bool {
	i := 0
	for j := 0; i < len(a) && j < len(b); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

func TestFaultyDrop(t *testing.T) {
	data := stream(100000)
	got, st := through(t, FaultOptions{Seed: 3, Rate: 0.005, Drop: true}, false, data, 512)
	if int64(len(data)-len(got)) != st.Read.Dropped || st.Read.Dropped == 0 || st.Read.Flipped+st.Read.Duplicated != 0 {
		t.Fatalf("len %d -> %d, counts %+v", len(data), len(got), st.Read)
	}
	if !isSubsequence(got, data) {
		t.Fatal("output is not the input with bytes left out")
	}
	// Every byte dropped: Read keeps reading instead of returning 0 bytes, and ends with EOF.
	got, st = through(t, FaultOptions{Seed: 3, Rate: 1, Drop: true}, false, data, 512)
	if len(got) != 0 || st.Read.Dropped != int64(len(data)) {
		t.Fatalf("rate 1: got %d bytes, counts %+v", len(got), st.Read)
	}
}

func TestFaultyDup(t *testing.T) {
	data := stream(100000)
	got, st := through(t, FaultOptions{Seed: 4, Rate: 0.005, Dup: true}, true, data, 333)
	if int64(len(got)-len(data)) != st.Write.Duplicated || st.Write.Duplicated == 0 || st.Write.Flipped+st.Write.Dropped != 0 {
		t.Fatalf("len %d -> %d, counts %+v", len(data), len(got), st.Write)
	}
	if !isSubsequence(data, got) {
		t.Fatal("output is not the input with bytes repeated")
	}
}

func TestFaultyAllKindsByDefault(t *testing.T) {
	_, st := through(t, FaultOptions{Seed: 5, Rate: 0.02}, false, stream(100000), 4096)
	if c := st.Read; c.Flipped == 0 || c.Dropped == 0 || c.Duplicated == 0 {
		t.Fatalf("not every kind injected: %+v", c)
	}
}

// The same seed faults the same stream positions, however the stream is cut; another seed does not.
func TestFaultyReproducible(t *testing.T) {
	data := stream(50000)
	opt := FaultOptions{Seed: 42, Rate: 0.01}
	for _, toDev := range []bool{false, true} {
		a, sa := through(t, opt, toDev, data, 50000)
		b, sb := through(t, opt, toDev, data, 17)
		if !bytes.Equal(a, b) || sa != sb {
			t.Fatalf("toDevice=%v: chunking changed the faults: %+v vs %+v", toDev, sa, sb)
		}
		opt.Seed++
		c, _ := through(t, opt, toDev, data, 50000)
		if bytes.Equal(a, c) {
			t.Fatalf("toDevice=%v: another seed gave the same faults", toDev)
		}
		opt.Seed--
	}
}

// The two directions are faulted independently, each with its own counters, at the same time.
func TestFaultyFullDuplex(t *testing.T) {
	host, dev := Pipe()
	f := Faulty(host, FaultOptions{Seed: 9, Rate: 0.01, Flip: true})
	defer dev.Close()
	up, down := stream(64<<10), stream(32<<10)
	done := make(chan error, 2)
	go func() { _, err := f.Write(up); done <- err }()
	go func() { _, err := dev.Write(down); done <- err }()
	gotUp, gotDown := make([]byte, len(up)), make([]byte, len(down))
	if _, err := io.ReadFull(dev, gotUp); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(f, gotDown); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	st := f.Stats()
	if st.Write.Bytes != int64(len(up)) || st.Read.Bytes != int64(len(down)) || st.Write.Flipped == 0 || st.Read.Flipped == 0 {
		t.Fatalf("stats %+v", st)
	}
	f.Close()
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Read after Close: %v", err)
	}
}
