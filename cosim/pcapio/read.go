package pcapio

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"time"
)

// Magic numbers and block types.
const (
	magicMicro     = 0xa1b2c3d4 // classic pcap, microseconds (in the file's byte order)
	magicNano      = 0xa1b23c4d // classic pcap, nanoseconds
	magicModified  = 0xa1b2cd34 // Kuznetzov's modified pcap: not supported
	ngSHB          = 0x0a0d0d0a // pcapng section header block (a palindrome)
	ngIDB          = 0x00000001
	ngPB           = 0x00000002 // obsolete packet block
	ngSPB          = 0x00000003
	ngEPB          = 0x00000006
	ngByteOrder    = 0x1a2b3c4d
	linkEthernet   = 1
	classicHdrLen  = 24
	classicRecLen  = 16
	ngOptEnd       = 0
	ngOptComment   = 1
	ngOptTSResol   = 9
	ngOptTSOffset  = 14
	ngMaxBlock     = MaxPacket + 128<<10 // longest block the reader loads into memory
	ngMinBlock     = 12                  // type, length, trailing length
	ngMinSHB       = 28
	ngDefaultTSRes = 6 // if_tsresol default: microseconds
)

// ErrSnapped is the cause (wrapped in *Error) when a packet was captured shorter than it was
// on the wire: the file's snap length was too small for the frame (capture with `-s 0`).
var ErrSnapped = errors.New("packet captured partially")

// Reader reads packets one by one from a pcap or pcapng stream.
type Reader struct {
	format  Format
	classic *classicReader
	ng      *ngReader
	n       int   // packets returned so far
	err     error // sticky: once broken, always broken
}

// NewReader reads the file header from r (gzip-compressed data is decompressed) and returns a
// Reader for its packets. Errors are *Error values (File empty).
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if m, err := br.Peek(2); err == nil && m[0] == 0x1f && m[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &Error{Offset: 0, Err: fmt.Errorf("%w: bad gzip header: %v", ErrFormat, err)}
		}
		br = bufio.NewReaderSize(gz, 64<<10)
	}
	m, err := br.Peek(4)
	if err != nil {
		if len(m) == 0 && err == io.EOF {
			return nil, &Error{Offset: 0, Err: fmt.Errorf("%w: empty file", ErrFormat)}
		}
		return nil, &Error{Offset: 0, Err: readErr(err, "file header")}
	}
	le, be := binary.LittleEndian.Uint32(m), binary.BigEndian.Uint32(m)
	switch {
	case le == ngSHB:
		ng := &ngReader{br: br}
		if err := ng.start(); err != nil {
			return nil, &Error{Offset: 0, Err: err}
		}
		return &Reader{format: FormatPcapng, ng: ng}, nil
	case le == magicMicro || le == magicNano || be == magicMicro || be == magicNano:
		c, err := newClassic(br, le == magicNano || be == magicNano, be == magicMicro || be == magicNano)
		if err != nil {
			return nil, &Error{Offset: 0, Err: err}
		}
		return &Reader{format: FormatPcap, classic: c}, nil
	case le == magicModified || be == magicModified:
		return nil, &Error{Offset: 0, Err: fmt.Errorf("%w: modified (Kuznetzov) pcap; convert it with editcap -F pcap", ErrFormat)}
	}
	return nil, &Error{Offset: 0, Err: fmt.Errorf("%w: unknown magic number %#08x: not a pcap or pcapng file", ErrFormat, le)}
}

// Format returns the format of the file being read.
func (r *Reader) Format() Format { return r.format }

// Next returns the next packet, or io.EOF after the last one. Other errors are *Error values
// (File empty, Packet the number of the packet being read); after one, Next returns it again.
func (r *Reader) Next() (Packet, error) {
	if r.err != nil {
		return Packet{}, r.err
	}
	var (
		p   Packet
		off int64
		err error
	)
	if r.classic != nil {
		p, off, err = r.classic.next()
	} else {
		p, off, err = r.ng.next()
	}
	if err == io.EOF {
		r.err = io.EOF
		return Packet{}, io.EOF
	}
	if err != nil {
		r.err = &Error{Packet: r.n + 1, Offset: off, Err: err}
		return Packet{}, r.err
	}
	r.n++
	return p, nil
}

// classicReader reads the records of a classic pcap file. Written here rather than with
// gopacket's pcapgo.Reader: that package also holds live capture code that needs modules
// (golang.org/x/net, golang.org/x/sys) this repository does not otherwise use.
type classicReader struct {
	br   *bufio.Reader
	bo   binary.ByteOrder
	nano bool
	off  int64 // offset of the next record
}

func newClassic(br *bufio.Reader, nano, bigEndian bool) (*classicReader, error) {
	var h [classicHdrLen]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return nil, readErr(err, "file header")
	}
	c := &classicReader{br: br, bo: binary.LittleEndian, nano: nano, off: classicHdrLen}
	if bigEndian {
		c.bo = binary.BigEndian
	}
	if major, minor := c.bo.Uint16(h[4:6]), c.bo.Uint16(h[6:8]); major != 2 {
		return nil, fmt.Errorf("%w: pcap version %d.%d", ErrFormat, major, minor)
	}
	if lt := c.bo.Uint32(h[20:24]); lt != linkEthernet {
		return nil, fmt.Errorf("%w: %s, want Ethernet (1)", ErrFormat, linkTypeName(lt))
	}
	// The header's snap length is not checked: like tcpdump and Wireshark, trust the record
	// lengths (some writers store packets longer than their snap length), up to MaxPacket.
	return c, nil
}

func (c *classicReader) next() (Packet, int64, error) {
	off := c.off
	var h [classicRecLen]byte
	if n, err := io.ReadFull(c.br, h[:]); err != nil {
		if n == 0 && err == io.EOF {
			return Packet{}, off, io.EOF // clean end between records
		}
		return Packet{}, off, readErr(err, "record header")
	}
	sec, frac := c.bo.Uint32(h[0:4]), c.bo.Uint32(h[4:8])
	capLen, wireLen := c.bo.Uint32(h[8:12]), c.bo.Uint32(h[12:16])
	if capLen > MaxPacket {
		return Packet{}, off, fmt.Errorf("%w: captured length %d exceeds the %d-byte limit", ErrCorrupt, capLen, MaxPacket)
	}
	if capLen > wireLen {
		return Packet{}, off, fmt.Errorf("%w: captured length %d exceeds the wire length %d", ErrCorrupt, capLen, wireLen)
	}
	data := make([]byte, capLen)
	if _, err := io.ReadFull(c.br, data); err != nil {
		return Packet{}, off, readErr(err, fmt.Sprintf("packet data (%d bytes)", capLen))
	}
	c.off += classicRecLen + int64(capLen)
	if capLen < wireLen {
		return Packet{}, off, fmt.Errorf("%w: %d of %d bytes captured (snap length too small; capture with -s 0)", ErrSnapped, capLen, wireLen)
	}
	ns := int64(frac)
	if !c.nano {
		ns *= 1000
	}
	return Packet{TS: time.Unix(int64(sec), ns).UTC(), Data: data}, off, nil
}

func isEOF(err error) bool { return err == io.EOF || err == io.ErrUnexpectedEOF }

// readErr turns an I/O error while reading what into a descriptive error.
func readErr(err error, what string) error {
	if isEOF(err) {
		return fmt.Errorf("%w: file ends inside the %s", ErrTruncated, what)
	}
	return fmt.Errorf("reading the %s: %w", what, err)
}

func linkTypeName(lt uint32) string {
	switch lt & 0xffff {
	case 0:
		return "link type 0 (BSD loopback)"
	case 101:
		return "link type 101 (raw IP)"
	case 113:
		return "link type 113 (Linux cooked capture; capture on a port, not on 'any')"
	case 276:
		return "link type 276 (Linux cooked capture v2; capture on a port, not on 'any')"
	case linkEthernet:
		return fmt.Sprintf("link type %#x (Ethernet with FCS flags)", lt)
	}
	return fmt.Sprintf("link type %d", lt)
}

// ngIface is one interface description block of the current section.
type ngIface struct {
	linkType uint16
	snaplen  uint32
	ups      uint64 // timestamp units per second
	tsOffset int64  // seconds added to every timestamp
}

// ngReader reads pcapng blocks. Written here rather than with pcapgo.NgReader, which drops
// packet comments and allocates whatever a corrupt length field says.
type ngReader struct {
	br     *bufio.Reader
	bo     binary.ByteOrder
	ifaces []ngIface
	off    int64  // offset of the next block
	buf    []byte // block body, reused
}

// start reads the first section header.
func (r *ngReader) start() error {
	typ, body, err := r.block()
	if err != nil {
		return err
	}
	if typ != ngSHB {
		return fmt.Errorf("%w: pcapng file does not start with a section header", ErrFormat)
	}
	return r.section(body)
}

// next returns the next packet and the offset of its block.
func (r *ngReader) next() (Packet, int64, error) {
	for {
		off := r.off
		typ, body, err := r.block()
		if err != nil {
			return Packet{}, off, err
		}
		switch typ {
		case ngSHB:
			err = r.section(body)
		case ngIDB:
			err = r.iface(body)
		case ngEPB, ngPB, ngSPB:
			p, err := r.packet(typ, body)
			return p, off, err
		}
		if err != nil {
			return Packet{}, off, err
		}
	}
}

// block reads one block. For section headers, packet and interface blocks it returns the body
// (without type, length, byte-order magic and trailing length); other blocks are skipped and
// returned with a nil body. io.EOF means a clean end of file before a block.
func (r *ngReader) block() (uint32, []byte, error) {
	var h [12]byte
	if n, err := io.ReadFull(r.br, h[:8]); err != nil {
		if n == 0 && err == io.EOF {
			return 0, nil, io.EOF
		}
		return 0, nil, readErr(err, "block header")
	}
	hdr := 8
	if binary.LittleEndian.Uint32(h[:4]) == ngSHB {
		if _, err := io.ReadFull(r.br, h[8:12]); err != nil {
			return 0, nil, readErr(err, "section header")
		}
		switch {
		case binary.LittleEndian.Uint32(h[8:12]) == ngByteOrder:
			r.bo = binary.LittleEndian
		case binary.BigEndian.Uint32(h[8:12]) == ngByteOrder:
			r.bo = binary.BigEndian
		default:
			return 0, nil, fmt.Errorf("%w: bad byte-order magic %#08x in section header", ErrCorrupt, binary.LittleEndian.Uint32(h[8:12]))
		}
		hdr = 12
	}
	typ, length := r.bo.Uint32(h[:4]), r.bo.Uint32(h[4:8])
	min := uint32(ngMinBlock)
	if typ == ngSHB {
		min = ngMinSHB
	}
	if length < min || length%4 != 0 {
		return 0, nil, fmt.Errorf("%w: %s has impossible length %d", ErrCorrupt, blockName(typ), length)
	}
	rest := int64(length) - int64(hdr)
	switch typ {
	case ngSHB, ngIDB, ngEPB, ngPB, ngSPB:
	default:
		if n, err := r.br.Discard(int(rest)); err != nil {
			r.off += int64(hdr + n)
			return 0, nil, readErr(err, blockName(typ))
		}
		r.off += int64(length)
		return typ, nil, nil
	}
	if length > ngMaxBlock {
		return 0, nil, fmt.Errorf("%w: %s of %d bytes exceeds the %d-byte limit", ErrCorrupt, blockName(typ), length, ngMaxBlock)
	}
	if cap(r.buf) < int(rest) {
		r.buf = make([]byte, rest)
	}
	b := r.buf[:rest]
	if _, err := io.ReadFull(r.br, b); err != nil {
		return 0, nil, readErr(err, fmt.Sprintf("%s (%d bytes)", blockName(typ), length))
	}
	r.off += int64(length)
	if tr := r.bo.Uint32(b[len(b)-4:]); tr != length {
		return 0, nil, fmt.Errorf("%w: %s: trailing length %d != leading length %d", ErrCorrupt, blockName(typ), tr, length)
	}
	return typ, b[:len(b)-4], nil
}

func blockName(typ uint32) string {
	switch typ {
	case ngSHB:
		return "section header block"
	case ngIDB:
		return "interface description block"
	case ngEPB:
		return "enhanced packet block"
	case ngPB:
		return "packet block"
	case ngSPB:
		return "simple packet block"
	}
	return fmt.Sprintf("block of type %#08x", typ)
}

func (r *ngReader) section(b []byte) error {
	// b: major, minor, section length, options (the byte-order magic is already consumed).
	major, minor := r.bo.Uint16(b[0:2]), r.bo.Uint16(b[2:4])
	if major != 1 {
		return fmt.Errorf("%w: pcapng version %d.%d", ErrFormat, major, minor)
	}
	r.ifaces = r.ifaces[:0]
	return nil
}

func (r *ngReader) iface(b []byte) error {
	if len(b) < 8 {
		return fmt.Errorf("%w: interface description block too short", ErrCorrupt)
	}
	ifc := ngIface{linkType: r.bo.Uint16(b[0:2]), snaplen: r.bo.Uint32(b[4:8]), ups: 1e6}
	err := r.options(b[8:], func(code uint16, v []byte) error {
		switch code {
		case ngOptTSResol:
			if len(v) != 1 {
				return fmt.Errorf("%w: if_tsresol of %d bytes", ErrCorrupt, len(v))
			}
			ups, ok := unitsPerSecond(v[0])
			if !ok {
				return fmt.Errorf("%w: unsupported if_tsresol %#x", ErrCorrupt, v[0])
			}
			ifc.ups = ups
		case ngOptTSOffset:
			if len(v) != 8 {
				return fmt.Errorf("%w: if_tsoffset of %d bytes", ErrCorrupt, len(v))
			}
			ifc.tsOffset = int64(r.bo.Uint64(v))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("interface %d: %w", len(r.ifaces), err)
	}
	if len(r.ifaces) >= 1<<16 {
		return fmt.Errorf("%w: more than 65536 interfaces", ErrCorrupt)
	}
	r.ifaces = append(r.ifaces, ifc)
	return nil
}

// unitsPerSecond decodes if_tsresol: 10^-v seconds, or 2^-(v&0x7f) when the top bit is set.
func unitsPerSecond(v byte) (uint64, bool) {
	if v&0x80 != 0 {
		e := v & 0x7f
		if e > 63 {
			return 0, false
		}
		return 1 << e, true
	}
	if v > 19 {
		return 0, false
	}
	u := uint64(1)
	for i := byte(0); i < v; i++ {
		u *= 10
	}
	return u, true
}

// options walks a pcapng option list.
func (r *ngReader) options(b []byte, fn func(code uint16, v []byte) error) error {
	for len(b) >= 4 {
		code, n := r.bo.Uint16(b[0:2]), int(r.bo.Uint16(b[2:4]))
		if code == ngOptEnd {
			return nil
		}
		if 4+n > len(b) {
			return fmt.Errorf("%w: option %d of %d bytes overruns its block", ErrCorrupt, code, n)
		}
		if err := fn(code, b[4:4+n]); err != nil {
			return err
		}
		adv := 4 + (n+3)&^3
		if adv > len(b) {
			adv = len(b)
		}
		b = b[adv:]
	}
	return nil
}

func (r *ngReader) packet(typ uint32, b []byte) (Packet, error) {
	var (
		ifid            int
		ts              uint64
		capLen, wireLen uint32
		data, opts      []byte
		hasTS           = true
	)
	switch typ {
	case ngEPB, ngPB:
		if len(b) < 20 {
			return Packet{}, fmt.Errorf("%w: packet block too short", ErrCorrupt)
		}
		if typ == ngEPB {
			ifid = int(r.bo.Uint32(b[0:4]))
		} else {
			ifid = int(r.bo.Uint16(b[0:2]))
		}
		ts = uint64(r.bo.Uint32(b[4:8]))<<32 | uint64(r.bo.Uint32(b[8:12]))
		capLen, wireLen = r.bo.Uint32(b[12:16]), r.bo.Uint32(b[16:20])
		if capLen > MaxPacket {
			return Packet{}, fmt.Errorf("%w: captured length %d exceeds the %d-byte limit", ErrCorrupt, capLen, MaxPacket)
		}
		if int(capLen) > len(b)-20 {
			return Packet{}, fmt.Errorf("%w: captured length %d exceeds its block (%d bytes of data)", ErrCorrupt, capLen, len(b)-20)
		}
		data = b[20 : 20+capLen]
		if o := 20 + int(capLen+3)&^3; o < len(b) {
			opts = b[o:]
		}
	case ngSPB:
		if len(b) < 4 {
			return Packet{}, fmt.Errorf("%w: simple packet block too short", ErrCorrupt)
		}
		hasTS = false
		wireLen = r.bo.Uint32(b[0:4])
		capLen = wireLen
		if len(r.ifaces) > 0 && r.ifaces[0].snaplen != 0 && capLen > r.ifaces[0].snaplen {
			capLen = r.ifaces[0].snaplen
		}
		if capLen > MaxPacket {
			return Packet{}, fmt.Errorf("%w: captured length %d exceeds the %d-byte limit", ErrCorrupt, capLen, MaxPacket)
		}
		if int(capLen) > len(b)-4 {
			return Packet{}, fmt.Errorf("%w: packet length %d exceeds its block (%d bytes of data)", ErrCorrupt, capLen, len(b)-4)
		}
		data = b[4 : 4+capLen]
	}
	if ifid >= len(r.ifaces) {
		return Packet{}, fmt.Errorf("%w: interface %d is not described in this section (%d interfaces)", ErrCorrupt, ifid, len(r.ifaces))
	}
	ifc := r.ifaces[ifid]
	if ifc.linkType != linkEthernet {
		return Packet{}, fmt.Errorf("%w: interface %d has %s, want Ethernet (1)", ErrFormat, ifid, linkTypeName(uint32(ifc.linkType)))
	}
	if capLen > wireLen {
		return Packet{}, fmt.Errorf("%w: captured length %d exceeds the wire length %d", ErrCorrupt, capLen, wireLen)
	}
	if capLen < wireLen {
		return Packet{}, fmt.Errorf("%w: %d of %d bytes captured (snap length too small; capture with -s 0)", ErrSnapped, capLen, wireLen)
	}
	var comments []string
	if err := r.options(opts, func(code uint16, v []byte) error {
		if code == ngOptComment {
			comments = append(comments, string(v))
		}
		return nil
	}); err != nil {
		return Packet{}, err
	}
	p := Packet{Data: append(make([]byte, 0, len(data)), data...), Comment: strings.Join(comments, "\n")}
	if hasTS {
		p.TS = ngTime(ts, ifc)
	}
	return p, nil
}

// ngTime converts a pcapng timestamp without overflowing for any resolution.
func ngTime(ts uint64, ifc ngIface) time.Time {
	secs, frac := ts/ifc.ups, ts%ifc.ups
	hi, lo := bits.Mul64(frac, 1e9)
	ns, _ := bits.Div64(hi, lo, ifc.ups) // hi < ups because frac < ups
	return time.Unix(int64(secs)+ifc.tsOffset, int64(ns)).UTC()
}
