// Package pcapio reads and writes the packet files of the co-simulation: classic pcap (both byte
// orders, micro- and nanosecond timestamps) and pcapng, with Ethernet link type only. Frames are
// Ethernet frames as tcpdump captures them (no FCS).
//
// Reading is defensive: a truncated or corrupt file gives an *Error that names the file and the
// packet, and no length field in a file can make the reader allocate more than about
// MaxPacket bytes at a time, loop or panic.
//
// Writing: WritePcap writes classic pcap (little-endian, microseconds), WritePcapng writes
// pcapng with one Ethernet interface and a per-packet comment (opt_comment) for every packet
// whose Comment is set, as the punted frames of OUT/cpu.pcapng need (`reason=to_me in_port=0`).
// For long captures, Create and NewWriter give a streaming Writer.
package pcapio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// MaxPacket is the largest packet (captured bytes) a file may hold: the 256 KiB snap length of
// tcpdump and Wireshark. A longer length field is reported as corrupt, never allocated.
const MaxPacket = 256 << 10

// Packet is one frame of a file.
type Packet struct {
	TS      time.Time // capture time (UTC when read)
	Data    []byte    // the Ethernet frame, without FCS
	Comment string    // pcapng packet comment (opt_comment); classic pcap has none
}

// Format is a file format.
type Format int

// The supported file formats.
const (
	FormatPcap   Format = iota + 1 // classic libpcap format
	FormatPcapng                   // pcapng
)

func (f Format) String() string {
	switch f {
	case FormatPcap:
		return "pcap"
	case FormatPcapng:
		return "pcapng"
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// Sentinel errors, wrapped in *Error.
var (
	// ErrFormat: the data is not a supported pcap or pcapng file (bad magic, version, link type).
	ErrFormat = errors.New("unsupported file")
	// ErrTruncated: the file ends inside a header or a packet.
	ErrTruncated = errors.New("truncated file")
	// ErrCorrupt: a length or field is impossible (e.g. a packet longer than MaxPacket).
	ErrCorrupt = errors.New("corrupt file")
)

// Error is the error of reading or writing a file: where it happened and why.
type Error struct {
	File   string // file name; "" when reading from an io.Reader
	Packet int    // 1-based number of the packet being read or written; 0: the file header
	Offset int64  // byte offset of the record or block being read (in the decompressed data); -1 if unknown
	Err    error  // the cause; errors.Is(err, ErrTruncated) etc. work through Error
}

func (e *Error) Error() string {
	s := "pcapio: "
	if e.File != "" {
		s += e.File + ": "
	}
	if e.Packet > 0 {
		s += fmt.Sprintf("packet %d", e.Packet)
	} else {
		s += "file header"
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" (offset %d)", e.Offset)
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// ReadPcap reads every packet of a pcap or pcapng file (possibly gzip-compressed); the format is
// detected from the magic number. Link types other than Ethernet are an error, and so are
// packets captured shorter than they were on the wire (snap length too small): the data plane's
// verdict depends on the whole frame.
func ReadPcap(path string) ([]Packet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pcapio: %w", err)
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		return nil, withFile(err, path)
	}
	var pkts []Packet
	for {
		p, err := r.Next()
		if err == io.EOF {
			return pkts, nil
		}
		if err != nil {
			return nil, withFile(err, path)
		}
		pkts = append(pkts, p)
	}
}

func withFile(err error, path string) error {
	var e *Error
	if errors.As(err, &e) {
		e2 := *e
		e2.File = path
		return &e2
	}
	return fmt.Errorf("pcapio: %s: %w", path, err)
}

// WritePcap writes pkts to path as a classic pcap file (little-endian, microsecond timestamps,
// Ethernet, snap length MaxPacket). Comments are not stored: classic pcap has no place for them.
// A zero TS is written as the Unix epoch.
func WritePcap(path string, pkts []Packet) error {
	return writeFile(path, FormatPcap, pkts)
}

// WritePcapng writes pkts to path as a pcapng file: a section header, one Ethernet interface
// (snap length MaxPacket, nanosecond timestamps) and one enhanced packet block per packet, with
// an opt_comment option when Comment is not empty. A zero TS is written as the Unix epoch.
func WritePcapng(path string, pkts []Packet) error {
	return writeFile(path, FormatPcapng, pkts)
}

func writeFile(path string, f Format, pkts []Packet) error {
	w, err := Create(path, f)
	if err != nil {
		return err
	}
	for _, p := range pkts {
		if err := w.WritePacket(p); err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}
