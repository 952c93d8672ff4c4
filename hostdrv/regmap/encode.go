package regmap

import (
	"fmt"
	"net"

	"github.com/linerate/linerate/tables"
)

// Op is one register-bus operation: a write of Data to Addr.
type Op struct {
	Addr uint16
	Data uint32
}

// EntryWrites appends the writes that store one entry: every field into its staging register,
// the index, then CMD=write, which changes the entry in one clock.
func (t *Table) EntryWrites(ops []Op, index int, fields []uint32) []Op {
	for k, v := range fields {
		ops = append(ops, Op{t.Data(k), v})
	}
	return append(ops, Op{t.Index(), uint32(index)}, Op{t.Cmd(), CmdWrite})
}

func macHi(m net.HardwareAddr) uint32 {
	if len(m) != 6 {
		return 0
	}
	return uint32(m[0])<<8 | uint32(m[1])
}

func macLo(m net.HardwareAddr) uint32 {
	if len(m) != 6 {
		return 0
	}
	return uint32(m[2])<<24 | uint32(m[3])<<16 | uint32(m[4])<<8 | uint32(m[5])
}

func mac(hi, lo uint32) net.HardwareAddr {
	return net.HardwareAddr{byte(hi >> 8), byte(hi), byte(lo >> 24), byte(lo >> 16), byte(lo >> 8), byte(lo)}
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// PortFields, RAddrFields, LPMFields and AdjFields encode one entry as its table's field values.
func PortFields(e tables.PortEntry) []uint32 {
	return []uint32{macHi(e.MAC), macLo(e.MAC), uint32(e.MTU)}
}

func RAddrFields(e tables.RAddrEntry) []uint32 { return []uint32{b2u(e.Valid), e.Addr} }

func LPMFields(e tables.LPMEntry) []uint32 {
	return []uint32{b2u(e.Valid), e.Value, e.Mask, uint32(e.Adj)}
}

func AdjFields(e tables.AdjEntry) []uint32 {
	return []uint32{uint32(e.Kind), uint32(e.Port), macHi(e.DstMAC), macLo(e.DstMAC), macHi(e.SrcMAC), macLo(e.SrcMAC), uint32(e.MTU)}
}

// ImageWrites returns the register writes that load every entry of the image, table by table:
// ports, router addresses, adjacency rows, then LPM entries (so no route points at a row that is
// not written yet).
func ImageWrites(im *tables.Image) []Op {
	var ops []Op
	for i, e := range im.Ports {
		ops = TablePort.EntryWrites(ops, i, PortFields(e))
	}
	for i, e := range im.RAddr {
		ops = TableRAddr.EntryWrites(ops, i, RAddrFields(e))
	}
	for i, e := range im.Adj {
		ops = TableAdj.EntryWrites(ops, i, AdjFields(e))
	}
	for i, e := range im.LPM {
		ops = TableLPM.EntryWrites(ops, i, LPMFields(e))
	}
	return ops
}

// EntryFields encodes entry i of table t of im as the table's field values (DecodeEntry's
// inverse).
func EntryFields(im *tables.Image, t *Table, i int) []uint32 {
	switch t {
	case &TablePort:
		return PortFields(im.Ports[i])
	case &TableRAddr:
		return RAddrFields(im.RAddr[i])
	case &TableLPM:
		return LPMFields(im.LPM[i])
	case &TableAdj:
		return AdjFields(im.Adj[i])
	}
	return nil
}

// DecodeEntry fills the entry of table t at index i of im from field values read back.
func DecodeEntry(im *tables.Image, t *Table, i int, f []uint32) error {
	if len(f) != len(t.Fields) {
		return fmt.Errorf("table %s: %d fields, want %d", t.Name, len(f), len(t.Fields))
	}
	switch t {
	case &TablePort:
		im.Ports[i] = tables.PortEntry{MAC: mac(f[PortMACHi], f[PortMACLo]), MTU: uint16(f[PortMTU])}
	case &TableRAddr:
		im.RAddr[i] = tables.RAddrEntry{Valid: f[RAddrValid] != 0, Addr: f[RAddrAddr]}
	case &TableLPM:
		im.LPM[i] = tables.LPMEntry{Valid: f[LPMValid] != 0, Value: f[LPMValue], Mask: f[LPMMask], Adj: uint16(f[LPMAdj])}
	case &TableAdj:
		im.Adj[i] = tables.AdjEntry{Kind: tables.AdjKind(f[AdjKind]), Port: uint8(f[AdjPort]),
			DstMAC: mac(f[AdjDmacHi], f[AdjDmacLo]), SrcMAC: mac(f[AdjSmacHi], f[AdjSmacLo]), MTU: uint16(f[AdjMTU])}
	default:
		return fmt.Errorf("unknown table %s", t.Name)
	}
	return nil
}

// TableLen is the number of entries table t has in an image of sizes s.
func TableLen(t *Table, s tables.Sizes) int {
	switch t {
	case &TablePort:
		return s.Ports
	case &TableRAddr:
		return s.RAddr
	case &TableLPM:
		return s.LPM
	case &TableAdj:
		return s.Adj
	}
	return 0
}
