package regmap

import (
	"math/rand/v2"
	"net"
	"reflect"
	"testing"

	"github.com/linerate/linerate/tables"
)

// regfile is a Go rendering of the generated register block's table semantics: staging
// registers, INDEX, and CMD=write copying the staged fields into the entry.
type regfile struct {
	reg     map[uint16]uint32
	entries map[string]map[uint32][]uint32
}

func (f *regfile) write(op Op) {
	f.reg[op.Addr] = op.Data
	for _, t := range Tables {
		if op.Addr == t.Cmd() && op.Data == CmdWrite {
			fields := make([]uint32, len(t.Fields))
			for k, fd := range t.Fields {
				fields[k] = f.reg[t.Data(k)] & uint32(uint64(1)<<fd.Width-1)
			}
			f.entries[t.Name][f.reg[t.Index()]] = fields
		}
	}
}

func randMAC(r *rand.Rand) net.HardwareAddr {
	m := make(net.HardwareAddr, 6)
	for i := range m {
		m[i] = byte(r.Uint32())
	}
	return m
}

func TestImageWritesRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	s := tables.Sizes{Ports: 4, LPM: 64, Adj: 16, RAddr: 4}
	im := tables.NewImage(s)
	for i := range im.Ports {
		im.Ports[i] = tables.PortEntry{MAC: randMAC(r), MTU: uint16(r.IntN(9000))}
	}
	for i := range im.RAddr {
		im.RAddr[i] = tables.RAddrEntry{Valid: r.IntN(2) == 0, Addr: r.Uint32()}
	}
	for i := range im.LPM {
		im.LPM[i] = tables.LPMEntry{Valid: r.IntN(2) == 0, Value: r.Uint32(), Mask: r.Uint32(), Adj: uint16(r.IntN(65536))}
	}
	for i := range im.Adj {
		im.Adj[i] = tables.AdjEntry{Kind: tables.AdjKind(r.IntN(3)), Port: uint8(r.IntN(256)), DstMAC: randMAC(r), SrcMAC: randMAC(r), MTU: uint16(r.IntN(65536))}
	}
	f := &regfile{reg: map[uint16]uint32{}, entries: map[string]map[uint32][]uint32{}}
	for _, t := range Tables {
		f.entries[t.Name] = map[uint32][]uint32{}
	}
	for _, op := range ImageWrites(im) {
		f.write(op)
	}
	got := tables.NewImage(s)
	for _, tb := range Tables {
		for i := 0; i < TableLen(tb, s); i++ {
			fields, ok := f.entries[tb.Name][uint32(i)]
			if !ok {
				t.Fatalf("%s[%d] never written", tb.Name, i)
			}
			if err := DecodeEntry(got, tb, i, fields); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Prefix and NextHop are for people, not hardware.
	for i := range im.LPM {
		im.LPM[i].Prefix = ""
	}
	if !reflect.DeepEqual(im.Ports, got.Ports) || !reflect.DeepEqual(im.RAddr, got.RAddr) ||
		!reflect.DeepEqual(im.LPM, got.LPM) || !reflect.DeepEqual(im.Adj, got.Adj) {
		t.Fatal("image does not survive encoding")
	}
}
