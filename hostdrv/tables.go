package hostdrv

import (
	"context"
	"fmt"

	"github.com/linerate/linerate/hostdrv/regmap"
	"github.com/linerate/linerate/tables"
)

// Sizes are the device's table sizes from its HELLO.
func (h Hello) Sizes() tables.Sizes {
	return tables.Sizes{Ports: h.Ports, LPM: h.LPM, Adj: h.Adj, RAddr: h.RAddr}
}

// AllTables lists the tables in the order a whole image is read.
var AllTables = []*regmap.Table{&regmap.TablePort, &regmap.TableRAddr, &regmap.TableAdj, &regmap.TableLPM}

// readEntries queues the reads of entries [from, to) of table t.
func readEntries(b *Batch, t *regmap.Table, from, to int) {
	for i := from; i < to; i++ {
		b.ReadEntry(t, i)
	}
}

// ReadImage reads every table of the device back into an image (Prefix and NextHop
// annotations are empty: the hardware does not hold them).
func (d *Device) ReadImage(ctx context.Context, progress func(done, total int)) (*tables.Image, error) {
	s := d.Info().Sizes()
	im := tables.NewImage(s)
	b := d.NewBatch()
	for _, t := range AllTables {
		readEntries(b, t, 0, regmap.TableLen(t, s))
	}
	words, err := d.DoProgress(ctx, b, progress)
	if err != nil {
		return nil, fmt.Errorf("reading the tables: %w", err)
	}
	off := 0
	for _, t := range AllTables {
		k := len(t.Fields)
		for i := 0; i < regmap.TableLen(t, s); i++ {
			if err := regmap.DecodeEntry(im, t, i, words[off:off+k]); err != nil {
				return nil, err
			}
			off += k
		}
	}
	return im, nil
}

// WriteImage writes a whole image, every entry (empty ones included), tables in the order of
// regmap.ImageWrites.
func (d *Device) WriteImage(ctx context.Context, im *tables.Image, progress func(done, total int)) error {
	b := d.NewBatch()
	b.Ops(regmap.ImageWrites(im))
	_, err := d.DoProgress(ctx, b, progress)
	return err
}

// EntryRef names one entry of one table.
type EntryRef struct {
	Table *regmap.Table
	Index int
}

// ReadEntries reads the given entries back into im (an image of the device's sizes).
func (d *Device) ReadEntries(ctx context.Context, im *tables.Image, refs []EntryRef, progress func(done, total int)) error {
	b := d.NewBatch()
	for _, r := range refs {
		b.ReadEntry(r.Table, r.Index)
	}
	words, err := d.DoProgress(ctx, b, progress)
	if err != nil {
		return fmt.Errorf("reading entries back: %w", err)
	}
	off := 0
	for _, r := range refs {
		k := len(r.Table.Fields)
		if err := regmap.DecodeEntry(im, r.Table, r.Index, words[off:off+k]); err != nil {
			return err
		}
		off += k
	}
	return nil
}
