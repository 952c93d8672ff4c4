package pcapio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"time"
)

// Application is written into the pcapng section header (shb_userappl).
const Application = "linerate"

// Writer writes packets one by one to a pcap or pcapng stream. Both formats are written here:
// gopacket's pcapgo.NgWriter (v1.1.19) cannot attach a comment to a packet, and pcapgo needs
// modules (golang.org/x/net, golang.org/x/sys) this repository does not otherwise use.
type Writer struct {
	format Format
	bw     *bufio.Writer
	file   *os.File // owned when opened by Create
	name   string
	n      int
	err    error // sticky
	scr    []byte
}

// Create creates (or truncates) path and returns a Writer for it; Close closes the file.
func Create(path string, f Format) (*Writer, error) {
	if f != FormatPcap && f != FormatPcapng {
		return nil, fmt.Errorf("pcapio: %s: unknown format %v", path, f)
	}
	fd, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("pcapio: %w", err)
	}
	w, err := newWriter(fd, f, path)
	if err != nil {
		fd.Close()
		return nil, err
	}
	w.file = fd
	return w, nil
}

// NewWriter writes the file header of format f to w and returns a Writer. Close flushes the
// buffered data; it does not close w.
func NewWriter(w io.Writer, f Format) (*Writer, error) {
	if f != FormatPcap && f != FormatPcapng {
		return nil, fmt.Errorf("pcapio: unknown format %v", f)
	}
	return newWriter(w, f, "")
}

func newWriter(w io.Writer, f Format, name string) (*Writer, error) {
	wr := &Writer{format: f, bw: bufio.NewWriterSize(w, 64<<10), name: name}
	var err error
	if f == FormatPcap {
		err = wr.writePcapHeader()
	} else {
		err = wr.writeNgHeader()
	}
	if err != nil {
		return nil, wr.fail(0, err)
	}
	return wr, nil
}

func (w *Writer) fail(pkt int, err error) error {
	w.err = &Error{File: w.name, Packet: pkt, Offset: -1, Err: err}
	return w.err
}

// WritePacket appends one packet. A zero TS is written as the Unix epoch; times before the
// epoch (and after 2106 for classic pcap, 2554 for pcapng) are an error, and so is a packet longer than
// MaxPacket or, for pcapng, a comment longer than 65535 bytes.
func (w *Writer) WritePacket(p Packet) error {
	if w.err != nil {
		return w.err
	}
	n := w.n + 1
	ts := p.TS
	if ts.IsZero() {
		ts = time.Unix(0, 0)
	}
	if ts.Before(time.Unix(0, 0)) {
		return w.fail(n, fmt.Errorf("timestamp %v is before 1970", p.TS))
	}
	if len(p.Data) > MaxPacket {
		return w.fail(n, fmt.Errorf("%d bytes exceed the %d-byte limit", len(p.Data), MaxPacket))
	}
	var err error
	if w.format == FormatPcap {
		if ts.Unix() > math.MaxUint32 {
			return w.fail(n, fmt.Errorf("timestamp %v does not fit classic pcap", p.TS))
		}
		err = w.writeRecord(ts, p.Data)
	} else {
		if ts.Unix() >= int64(math.MaxUint64/uint64(1e9)) {
			return w.fail(n, fmt.Errorf("timestamp %v does not fit pcapng nanoseconds", p.TS))
		}
		if len(p.Comment) > math.MaxUint16 {
			return w.fail(n, fmt.Errorf("comment of %d bytes exceeds 65535", len(p.Comment)))
		}
		err = w.writeEPB(ts, p)
	}
	if err != nil {
		return w.fail(n, err)
	}
	w.n++
	return nil
}

// Flush writes buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		return w.fail(w.n, err)
	}
	return nil
}

// Close flushes and, for a Writer from Create, closes the file. The first error of the
// Writer's life is returned.
func (w *Writer) Close() error {
	err := w.Flush()
	if w.file != nil {
		if cerr := w.file.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("pcapio: %w", cerr)
		}
		w.file = nil
	}
	if w.err == nil {
		w.err = fmt.Errorf("pcapio: writer closed")
	}
	return err
}

// Classic pcap, little-endian, microseconds.

func (w *Writer) writePcapHeader() error {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, magicMicro)
	b = binary.LittleEndian.AppendUint16(b, 2) // version 2.4
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = binary.LittleEndian.AppendUint32(b, 0) // thiszone
	b = binary.LittleEndian.AppendUint32(b, 0) // sigfigs
	b = binary.LittleEndian.AppendUint32(b, MaxPacket)
	b = binary.LittleEndian.AppendUint32(b, linkEthernet)
	_, err := w.bw.Write(b)
	return err
}

func (w *Writer) writeRecord(ts time.Time, data []byte) error {
	var h [classicRecLen]byte
	binary.LittleEndian.PutUint32(h[0:4], uint32(ts.Unix()))
	binary.LittleEndian.PutUint32(h[4:8], uint32(ts.Nanosecond()/1000))
	binary.LittleEndian.PutUint32(h[8:12], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[12:16], uint32(len(data)))
	if _, err := w.bw.Write(h[:]); err != nil {
		return err
	}
	_, err := w.bw.Write(data)
	return err
}

// pcapng, little-endian.

func pad4(n int) int { return (n + 3) &^ 3 }

// appendOpt appends one option (code, length, value, padding).
func appendOpt(b []byte, code uint16, v []byte) []byte {
	b = binary.LittleEndian.AppendUint16(b, code)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(v)))
	b = append(b, v...)
	return append(b, make([]byte, pad4(len(v))-len(v))...)
}

// appendBlock frames body as a block of type typ.
func appendBlock(b []byte, typ uint32, body []byte) []byte {
	n := uint32(12 + len(body))
	b = binary.LittleEndian.AppendUint32(b, typ)
	b = binary.LittleEndian.AppendUint32(b, n)
	b = append(b, body...)
	return binary.LittleEndian.AppendUint32(b, n)
}

func (w *Writer) writeNgHeader() error {
	// Section header: byte-order magic, version 1.0, section length unknown (-1), shb_userappl.
	var shb []byte
	shb = binary.LittleEndian.AppendUint32(shb, ngByteOrder)
	shb = binary.LittleEndian.AppendUint16(shb, 1)
	shb = binary.LittleEndian.AppendUint16(shb, 0)
	shb = binary.LittleEndian.AppendUint64(shb, math.MaxUint64)
	shb = appendOpt(shb, 4, []byte(Application)) // shb_userappl
	shb = appendOpt(shb, ngOptEnd, nil)
	// One interface: Ethernet, snap length MaxPacket, nanosecond timestamps.
	var idb []byte
	idb = binary.LittleEndian.AppendUint16(idb, linkEthernet)
	idb = binary.LittleEndian.AppendUint16(idb, 0)
	idb = binary.LittleEndian.AppendUint32(idb, MaxPacket)
	idb = appendOpt(idb, ngOptTSResol, []byte{9})
	idb = appendOpt(idb, ngOptEnd, nil)
	b := appendBlock(nil, ngSHB, shb)
	b = appendBlock(b, ngIDB, idb)
	_, err := w.bw.Write(b)
	return err
}

func (w *Writer) writeEPB(ts time.Time, p Packet) error {
	t := uint64(ts.Unix())*1e9 + uint64(ts.Nanosecond())
	body := w.scr[:0]
	body = binary.LittleEndian.AppendUint32(body, 0) // interface 0
	body = binary.LittleEndian.AppendUint32(body, uint32(t>>32))
	body = binary.LittleEndian.AppendUint32(body, uint32(t))
	body = binary.LittleEndian.AppendUint32(body, uint32(len(p.Data)))
	body = binary.LittleEndian.AppendUint32(body, uint32(len(p.Data)))
	body = append(body, p.Data...)
	body = append(body, make([]byte, pad4(len(p.Data))-len(p.Data))...)
	if p.Comment != "" {
		body = appendOpt(body, ngOptComment, []byte(p.Comment))
		body = appendOpt(body, ngOptEnd, nil)
	}
	w.scr = body
	var hdr [8]byte
	n := uint32(12 + len(body))
	binary.LittleEndian.PutUint32(hdr[0:4], ngEPB)
	binary.LittleEndian.PutUint32(hdr[4:8], n)
	if _, err := w.bw.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := w.bw.Write(body); err != nil {
		return err
	}
	_, err := w.bw.Write(binary.LittleEndian.AppendUint32(hdr[:0], n))
	return err
}
