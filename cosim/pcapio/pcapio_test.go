package pcapio

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func samplePackets(n int) []Packet {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	pkts := make([]Packet, n)
	for i := range pkts {
		size := []int{0, 1, 3, 14, 59, 60, 61, 63, 64, 1514, 9014, MaxPacket}[i%12]
		d := make([]byte, size)
		for j := range d {
			d[j] = byte(rng.Uint32())
		}
		p := Packet{TS: base.Add(time.Duration(i)*time.Second + time.Duration(rng.IntN(1e9))), Data: d}
		switch i % 4 {
		case 1:
			p.Comment = "reason=to_me in_port=0"
		case 2:
			p.Comment = strings.Repeat("x", 1+i) // lengths that need padding
		case 3:
			p.Comment = "multi\nline ünïcode"
		}
		pkts[i] = p
	}
	return pkts
}

func TestRoundTripPcap(t *testing.T) {
	dir := t.TempDir()
	pkts := samplePackets(30)
	path := filepath.Join(dir, "a.pcap")
	if err := WritePcap(path, pkts); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPcap(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pkts) {
		t.Fatalf("read %d packets, wrote %d", len(got), len(pkts))
	}
	for i := range pkts {
		if !bytes.Equal(got[i].Data, pkts[i].Data) {
			t.Errorf("packet %d: data differs", i+1)
		}
		if want := pkts[i].TS.Truncate(time.Microsecond); !got[i].TS.Equal(want) {
			t.Errorf("packet %d: TS %v, want %v", i+1, got[i].TS, want)
		}
		if got[i].Comment != "" {
			t.Errorf("packet %d: classic pcap has no comments, got %q", i+1, got[i].Comment)
		}
	}
}

func TestRoundTripPcapng(t *testing.T) {
	dir := t.TempDir()
	pkts := samplePackets(30)
	pkts = append(pkts, Packet{Data: []byte{1, 2, 3}, Comment: "zero time"})
	path := filepath.Join(dir, "a.pcapng")
	if err := WritePcapng(path, pkts); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPcap(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pkts) {
		t.Fatalf("read %d packets, wrote %d", len(got), len(pkts))
	}
	for i := range pkts {
		want := pkts[i]
		if want.TS.IsZero() {
			want.TS = time.Unix(0, 0)
		}
		if !bytes.Equal(got[i].Data, want.Data) || !got[i].TS.Equal(want.TS) || got[i].Comment != want.Comment {
			t.Errorf("packet %d: got (%v, %d bytes, %q), want (%v, %d bytes, %q)", i+1,
				got[i].TS, len(got[i].Data), got[i].Comment, want.TS, len(want.Data), want.Comment)
		}
	}
}

func TestEmptyFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []Format{FormatPcap, FormatPcapng} {
		path := filepath.Join(dir, "empty."+f.String())
		if err := writeFile(path, f, nil); err != nil {
			t.Fatal(err)
		}
		got, err := ReadPcap(path)
		if err != nil || len(got) != 0 {
			t.Errorf("%v: got %d packets, %v", f, len(got), err)
		}
	}
}

func readAll(t *testing.T, data []byte) []Packet {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var out []Packet
	for {
		p, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
}

// order is a byte order that can also append.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// classic builds a classic pcap file by hand: any byte order, micro or nano, any link type.
func classic(bo order, nano bool, link uint32, recs ...[]byte) []byte {
	var b []byte
	magic := uint32(magicMicro)
	if nano {
		magic = magicNano
	}
	b = bo.AppendUint32(b, magic)
	b = bo.AppendUint16(b, 2)
	b = bo.AppendUint16(b, 4)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 65535)
	b = bo.AppendUint32(b, link)
	for _, r := range recs {
		b = append(b, r...)
	}
	return b
}

func rec(bo order, sec, frac, capLen, wireLen uint32, data []byte) []byte {
	var b []byte
	b = bo.AppendUint32(b, sec)
	b = bo.AppendUint32(b, frac)
	b = bo.AppendUint32(b, capLen)
	b = bo.AppendUint32(b, wireLen)
	return append(b, data...)
}

func TestClassicVariants(t *testing.T) {
	frame := bytes.Repeat([]byte{0xab}, 70) // longer than nothing, shorter than snaplen
	for _, tc := range []struct {
		name string
		bo   order
		nano bool
		want time.Time
	}{
		{"le-micro", binary.LittleEndian, false, time.Unix(1700000000, 123456000)},
		{"be-micro", binary.BigEndian, false, time.Unix(1700000000, 123456000)},
		{"le-nano", binary.LittleEndian, true, time.Unix(1700000000, 123456)},
		{"be-nano", binary.BigEndian, true, time.Unix(1700000000, 123456)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Also a record longer than the header's snap length: tcpdump reads it, so do we.
			big := bytes.Repeat([]byte{1}, 70000)
			data := classic(tc.bo, tc.nano, 1,
				rec(tc.bo, 1700000000, 123456, 70, 70, frame),
				rec(tc.bo, 1700000000, 123456, 70000, 70000, big))
			got := readAll(t, data)
			if len(got) != 2 || !bytes.Equal(got[0].Data, frame) || !got[0].TS.Equal(tc.want) || len(got[1].Data) != 70000 {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestGzip(t *testing.T) {
	for _, f := range []Format{FormatPcap, FormatPcapng} {
		var raw, gz bytes.Buffer
		w, _ := NewWriter(&raw, f)
		w.WritePacket(Packet{TS: time.Unix(5, 0), Data: []byte{1, 2, 3}, Comment: "c"})
		w.Close()
		zw := gzip.NewWriter(&gz)
		zw.Write(raw.Bytes())
		zw.Close()
		got := readAll(t, gz.Bytes())
		if len(got) != 1 || !bytes.Equal(got[0].Data, []byte{1, 2, 3}) {
			t.Errorf("%v: got %+v", f, got)
		}
	}
}

// ng builds a little-endian pcapng file by hand from blocks.
func ngBlock(typ uint32, body []byte) []byte { return appendBlock(nil, typ, body) }

func ngSHBBlock() []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, ngByteOrder)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint64(b, ^uint64(0))
	return ngBlock(ngSHB, b)
}

func ngIDBBlock(link uint16, opts ...[]byte) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint16(b, link)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0)
	for _, o := range opts {
		b = append(b, o...)
	}
	return ngBlock(ngIDB, b)
}

func ngEPBBlock(ifid, capLen, wireLen uint32, data []byte, opts ...[]byte) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, ifid)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 1000000)
	b = binary.LittleEndian.AppendUint32(b, capLen)
	b = binary.LittleEndian.AppendUint32(b, wireLen)
	b = append(b, data...)
	b = append(b, make([]byte, pad4(len(data))-len(data))...)
	for _, o := range opts {
		b = append(b, o...)
	}
	return ngBlock(ngEPB, b)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestPcapngVariants(t *testing.T) {
	frame := bytes.Repeat([]byte{7}, 61)
	// Big-endian section, 2^-10 s resolution, an offset, an unknown block, a second section.
	var be []byte
	{
		bo := binary.BigEndian
		var shb []byte
		shb = bo.AppendUint32(shb, ngByteOrder)
		shb = bo.AppendUint16(shb, 1)
		shb = bo.AppendUint16(shb, 0)
		shb = bo.AppendUint64(shb, ^uint64(0))
		blk := func(typ uint32, body []byte) []byte {
			n := uint32(12 + len(body))
			b := bo.AppendUint32(nil, typ)
			b = bo.AppendUint32(b, n)
			b = append(b, body...)
			return bo.AppendUint32(b, n)
		}
		var idb []byte
		idb = bo.AppendUint16(idb, 1)
		idb = bo.AppendUint16(idb, 0)
		idb = bo.AppendUint32(idb, 0)
		idb = bo.AppendUint16(idb, ngOptTSResol)
		idb = bo.AppendUint16(idb, 1)
		idb = append(idb, 0x80|10, 0, 0, 0)
		idb = bo.AppendUint16(idb, ngOptTSOffset)
		idb = bo.AppendUint16(idb, 8)
		idb = bo.AppendUint64(idb, 100)
		var epb []byte
		epb = bo.AppendUint32(epb, 0)
		epb = bo.AppendUint32(epb, 0)
		epb = bo.AppendUint32(epb, 1024*5+512) // 5.5 s
		epb = bo.AppendUint32(epb, 61)
		epb = bo.AppendUint32(epb, 61)
		epb = append(epb, frame...)
		epb = append(epb, 0, 0, 0)
		epb = bo.AppendUint16(epb, ngOptComment)
		epb = bo.AppendUint16(epb, 2)
		epb = append(epb, 'h', 'i', 0, 0)
		be = cat(blk(ngSHB, shb), blk(ngIDB, idb), blk(0x0bad, make([]byte, 8)), blk(ngEPB, epb))
	}
	data := cat(be, ngSHBBlock(), ngIDBBlock(1), ngEPBBlock(0, 61, 61, frame))
	got := readAll(t, data)
	if len(got) != 2 {
		t.Fatalf("got %d packets", len(got))
	}
	if want := time.Unix(105, 5e8); !got[0].TS.Equal(want) || got[0].Comment != "hi" || !bytes.Equal(got[0].Data, frame) {
		t.Errorf("packet 1: %v %q", got[0].TS, got[0].Comment)
	}
	if want := time.Unix(0, 1000000*1000); !got[1].TS.Equal(want) || !bytes.Equal(got[1].Data, frame) {
		t.Errorf("packet 2: %v", got[1].TS)
	}
}

func TestBadFiles(t *testing.T) {
	le := binary.LittleEndian
	frame := bytes.Repeat([]byte{1}, 60)
	good := ngEPBBlock(0, 60, 60, frame)
	hugeLen := cat(ngSHBBlock(), ngIDBBlock(1), good[:4], le.AppendUint32(nil, 0xfffffff0), good[8:])
	oddLen := cat(ngSHBBlock(), ngIDBBlock(1), good[:4], le.AppendUint32(nil, uint32(len(good)-1)), good[8:])
	badTrailer := cat(ngSHBBlock(), ngIDBBlock(1), good[:len(good)-4], le.AppendUint32(nil, 4))
	badBOM := ngSHBBlock()
	badBOM[8] ^= 0xff
	skipHuge := cat(ngSHBBlock(), ngIDBBlock(1), le.AppendUint32(nil, 0x0bad), le.AppendUint32(nil, 0xfffffff0), make([]byte, 16))
	overrun := cat(ngSHBBlock(), ngIDBBlock(1), ngEPBBlock(0, 60, 60, frame, le.AppendUint16(le.AppendUint16(nil, 1), 200), []byte("abcd")))

	for _, tc := range []struct {
		name   string
		data   []byte
		want   error
		packet int
	}{
		{"empty", nil, ErrFormat, 0},
		{"garbage", []byte("this is not a capture file at all"), ErrFormat, 0},
		{"classic-short-header", classic(le, false, 1)[:10], ErrTruncated, 0},
		{"classic-linux-sll", classic(le, false, 113), ErrFormat, 0},
		{"classic-raw-ip", classic(binary.BigEndian, true, 101), ErrFormat, 0},
		{"classic-ethernet-fcs", classic(le, false, 1|0x14000000), ErrFormat, 0},
		{"classic-bad-version", append(classic(le, false, 1)[:4], make([]byte, 20)...), ErrFormat, 0},
		{"classic-short-record", classic(le, false, 1, rec(le, 1, 0, 60, 60, frame), rec(le, 1, 0, 60, 60, frame)[:9]), ErrTruncated, 2},
		{"classic-short-data", classic(le, false, 1, rec(le, 1, 0, 60, 60, frame[:10])), ErrTruncated, 1},
		{"classic-no-data", classic(le, false, 1, rec(le, 1, 0, 60, 60, nil)), ErrTruncated, 1},
		{"classic-huge-caplen", classic(le, false, 1, rec(le, 1, 0, 0xfffffff0, 0xfffffff0, frame)), ErrCorrupt, 1},
		{"classic-caplen-over-wire", classic(le, false, 1, rec(le, 1, 0, 60, 50, frame)), ErrCorrupt, 1},
		{"classic-snapped", classic(le, false, 1, rec(le, 1, 0, 60, 1514, frame)), ErrSnapped, 1},
		{"modified-pcap", le.AppendUint32(make([]byte, 0, 24), magicModified), ErrFormat, 0},
		{"ng-bad-bom", badBOM, ErrCorrupt, 0},
		{"ng-short-shb", ngSHBBlock()[:20], ErrTruncated, 0},
		{"ng-version-2", func() []byte { b := ngSHBBlock(); b[12] = 2; return b }(), ErrFormat, 0},
		{"ng-huge-block", hugeLen, ErrCorrupt, 1},
		{"ng-odd-block-length", oddLen, ErrCorrupt, 1},
		{"ng-bad-trailer", badTrailer, ErrCorrupt, 1},
		{"ng-skip-huge-truncated", skipHuge, ErrTruncated, 1},
		{"ng-no-interface", cat(ngSHBBlock(), good), ErrCorrupt, 1},
		{"ng-linux-sll", cat(ngSHBBlock(), ngIDBBlock(113), good), ErrFormat, 1},
		{"ng-caplen-over-block", cat(ngSHBBlock(), ngIDBBlock(1), ngEPBBlock(0, 200, 200, frame)), ErrCorrupt, 1},
		{"ng-huge-caplen", cat(ngSHBBlock(), ngIDBBlock(1), ngEPBBlock(0, 0xffffffff, 0xffffffff, frame)), ErrCorrupt, 1},
		{"ng-snapped", cat(ngSHBBlock(), ngIDBBlock(1), ngEPBBlock(0, 60, 1514, frame)), ErrSnapped, 1},
		{"ng-option-overrun", overrun, ErrCorrupt, 1},
		{"ng-bad-tsresol", cat(ngSHBBlock(), ngIDBBlock(1, []byte{9, 0, 1, 0, 99, 0, 0, 0}), good), ErrCorrupt, 1},
		{"ng-truncated-epb", cat(ngSHBBlock(), ngIDBBlock(1), good, good[:40]), ErrTruncated, 2},
		{"ng-shb-not-first", cat(ngIDBBlock(1), ngSHBBlock()), ErrFormat, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name+".pcap")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err := ReadPcap(path)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d) // a report, for a reader that loops or allocates hugely
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Packet != tc.packet || e.File != path {
				t.Fatalf("got %#v, want packet %d of %s", err, tc.packet, path)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			t.Log(err)
		})
	}
}

// TestEveryTruncation cuts valid files at every length: the reader returns the whole packets
// before the cut and, unless the cut falls between records, ErrTruncated for the next one.
func TestEveryTruncation(t *testing.T) {
	pkts := []Packet{
		{TS: time.Unix(1, 0), Data: bytes.Repeat([]byte{1}, 60), Comment: "one"},
		{TS: time.Unix(2, 0), Data: bytes.Repeat([]byte{2}, 61)},
		{TS: time.Unix(3, 0), Data: bytes.Repeat([]byte{3}, 17), Comment: "three"},
	}
	for _, f := range []Format{FormatPcap, FormatPcapng} {
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, f)
		var ends []int // file length after each packet
		for _, p := range pkts {
			w.WritePacket(p)
			w.Flush()
			ends = append(ends, buf.Len())
		}
		w.Close()
		full := buf.Bytes()
		hdrLen := ends[0] - 16 - 60
		if f == FormatPcapng {
			hdrLen = ends[0] - (32 + 60 + 12) // EPB of 60 bytes with comment "one"
		}
		for n := 0; n < len(full); n++ {
			r, err := NewReader(bytes.NewReader(full[:n]))
			if n < hdrLen {
				// A cut file header: an error now, or (pcapng, cut after the section header)
				// no packet.
				if err == nil {
					if _, err := r.Next(); err == nil {
						t.Fatalf("%v cut at %d: a packet from a cut header", f, n)
					}
				}
				continue
			}
			if err != nil {
				t.Fatalf("%v cut at %d: %v", f, n, err)
			}
			whole := 0
			for _, e := range ends {
				if e <= n {
					whole++
				}
			}
			boundary := n == hdrLen || (whole > 0 && n == ends[whole-1])
			for i := 0; ; i++ {
				_, err := r.Next()
				if i < whole {
					if err != nil {
						t.Fatalf("%v cut at %d: packet %d: %v", f, n, i+1, err)
					}
					continue
				}
				if boundary && err != io.EOF {
					t.Fatalf("%v cut at %d (between records): %v", f, n, err)
				}
				if !boundary && !errors.Is(err, ErrTruncated) {
					t.Fatalf("%v cut at %d: %v, want ErrTruncated", f, n, err)
				}
				break
			}
		}
	}
}

func TestWriteErrors(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, FormatPcapng)
	if err := w.WritePacket(Packet{Data: make([]byte, MaxPacket+1)}); err == nil {
		t.Error("no error for a packet over MaxPacket")
	}
	w, _ = NewWriter(&buf, FormatPcapng)
	if err := w.WritePacket(Packet{Data: []byte{1}, Comment: strings.Repeat("c", 70000)}); err == nil {
		t.Error("no error for a comment over 65535 bytes")
	}
	w, _ = NewWriter(&buf, FormatPcap)
	if err := w.WritePacket(Packet{TS: time.Unix(-5, 0), Data: []byte{1}}); err == nil {
		t.Error("no error for a time before 1970")
	}
	if _, err := Create(filepath.Join(t.TempDir(), "no", "such", "dir.pcap"), FormatPcap); err == nil {
		t.Error("no error for a bad path")
	}
}

func FuzzReadPcap(f *testing.F) {
	for _, fm := range []Format{FormatPcap, FormatPcapng} {
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, fm)
		for _, p := range samplePackets(4)[:4] {
			p.Data = p.Data[:min(len(p.Data), 100)]
			w.WritePacket(p)
		}
		w.Close()
		f.Add(buf.Bytes())
	}
	le := binary.LittleEndian
	f.Add(classic(binary.BigEndian, true, 1, rec(binary.BigEndian, 1, 2, 3, 3, []byte{1, 2, 3})))
	f.Add(cat(ngSHBBlock(), ngIDBBlock(1, []byte{9, 0, 1, 0, 0x85, 0, 0, 0}), ngEPBBlock(0, 3, 3, []byte{1, 2, 3}, le.AppendUint16(le.AppendUint16(nil, 1), 1), []byte{'x', 0, 0, 0})))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is not an *Error: %v", err)
			}
			return
		}
		for i := 0; ; i++ {
			p, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Packet != i+1 {
					t.Fatalf("bad error for packet %d: %#v", i+1, err)
				}
				return
			}
			if len(p.Data) > MaxPacket {
				t.Fatalf("packet of %d bytes", len(p.Data))
			}
			if i > 1<<20 {
				t.Fatal("no end in sight")
			}
		}
	})
}

// TestWiresharkFiles reads files written by editcap (see testdata/README.md): an independent
// writer of pcapng with comments and of nanosecond pcap.
func TestWiresharkFiles(t *testing.T) {
	times := []time.Time{time.Unix(1700000000, 123456789), time.Unix(1700000001, 5), time.Unix(1700000002, 0)}
	sizes := []int{60, 61, 1514}
	for _, tc := range []struct {
		file     string
		res      time.Duration
		comments []string
	}{
		{"testdata/editcap.pcapng", time.Microsecond, []string{"first comment", "", "second comment"}},
		{"testdata/editcap-nsec.pcap", time.Nanosecond, []string{"", "", ""}},
	} {
		got, err := ReadPcap(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("%s: %d packets", tc.file, len(got))
		}
		for i, p := range got {
			if len(p.Data) != sizes[i] || !p.TS.Equal(times[i].Truncate(tc.res)) || p.Comment != tc.comments[i] {
				t.Errorf("%s: packet %d: %v %d bytes %q", tc.file, i+1, p.TS, len(p.Data), p.Comment)
			}
		}
		if got[0].Data[12] != 0x08 || got[0].Data[13] != 0x06 {
			t.Errorf("%s: packet 1 data differs", tc.file)
		}
	}
}
