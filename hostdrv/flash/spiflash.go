package flash

import (
	"context"
	"fmt"
	"time"
)

// SPI NOR flash commands, common to the Winbond, Micron, Macronix, ISSI and GigaDevice parts
// found on iCE40 boards.
const (
	cmdWriteEnable  = 0x06
	cmdReadStatus   = 0x05
	cmdPageProgram  = 0x02
	cmdRead         = 0x03
	cmdSectorErase  = 0x20 // 4 KiB
	cmdBlockErase   = 0xD8 // 64 KiB
	cmdJEDECID      = 0x9F
	cmdReleasePower = 0xAB // release from deep power-down

	statusWIP = 0x01 // write (program or erase) in progress
	statusBP  = 0x1C // block protect bits BP0..BP2

	pageSize   = 256
	sectorSize = 4 << 10
	blockSize  = 64 << 10
	maxAddr    = 1 << 24 // 3-byte addresses
)

// How long the flash may stay busy, and how often to ask. The limits are generous: a 64 KiB
// erase takes at most 2 s on a W25Q128JV and 3 s on an N25Q032, a page program a few ms.
var (
	pollProgram  = 100 * time.Microsecond
	pollErase    = 2 * time.Millisecond
	limitProgram = 200 * time.Millisecond
	limitSector  = 2 * time.Second
	limitBlock   = 6 * time.Second
)

// Chip is a flash chip identified by its JEDEC ID.
type Chip struct {
	JEDEC uint32 // manufacturer<<16 | memory type<<8 | capacity
	Name  string // such as "Winbond W25Q128"
	Size  int    // bytes
}

func (c Chip) String() string {
	return fmt.Sprintf("%s (JEDEC %06x, %d KiB)", c.Name, c.JEDEC, c.Size>>10)
}

// knownFlash lists SPI NOR families by manufacturer and memory type; the third ID byte gives
// the size as a power of two. The name takes the size in Mbit.
var knownFlash = []struct {
	mfr, typ byte
	name     string
}{
	{0xEF, 0x40, "Winbond W25Q%d"},
	{0xEF, 0x60, "Winbond W25Q%d (1.8 V)"},
	{0xEF, 0x70, "Winbond W25Q%d"},
	{0x20, 0xBA, "Micron N25Q%03d"},
	{0x20, 0xBB, "Micron N25Q%03d (1.8 V)"},
	{0xC2, 0x20, "Macronix MX25L, %d Mbit"},
	{0xC2, 0x28, "Macronix MX25R, %d Mbit"},
	{0x9D, 0x60, "ISSI IS25LP, %d Mbit"},
	{0x9D, 0x70, "ISSI IS25WP, %d Mbit"},
	{0xC8, 0x40, "GigaDevice GD25Q, %d Mbit"},
	{0xC8, 0x60, "GigaDevice GD25LQ, %d Mbit"},
	{0x01, 0x40, "Spansion S25FL, %d Mbit"},
}

// identify names the chip with JEDEC ID id, or says why it is none.
func identify(id [3]byte) (Chip, error) {
	jedec := uint32(id[0])<<16 | uint32(id[1])<<8 | uint32(id[2])
	if id == [3]byte{} || id == [3]byte{0xFF, 0xFF, 0xFF} {
		return Chip{}, fmt.Errorf("%w: no flash answers (JEDEC ID %06x): is the flash on the board, and not held by the FPGA?",
			ErrNoDevice, jedec)
	}
	for _, k := range knownFlash {
		if k.mfr == id[0] && k.typ == id[1] && id[2] >= 0x11 && id[2] <= 0x20 {
			size := 1 << id[2]
			return Chip{JEDEC: jedec, Name: fmt.Sprintf(k.name, size>>17), Size: size}, nil
		}
	}
	return Chip{}, fmt.Errorf("%w: JEDEC ID %06x is no known SPI NOR flash", ErrWrongDevice, jedec)
}

// eraseOp is one sector or block erase.
type eraseOp struct {
	addr, size int
}

// planErase covers the first n bytes with the fewest erases that touch nothing past the
// 4 KiB sector holding byte n-1: 64 KiB blocks where a whole block is covered, 4 KiB sectors
// for the rest.
func planErase(n int) []eraseOp {
	end := (n + sectorSize - 1) / sectorSize * sectorSize
	var ops []eraseOp
	for addr := 0; addr < end; {
		size := sectorSize
		if addr%blockSize == 0 && addr+blockSize <= end {
			size = blockSize
		}
		ops = append(ops, eraseOp{addr, size})
		addr += size
	}
	return ops
}

// spiFlash speaks to the flash through the MPSSE. idle is the ADBUS value with the flash
// deselected (the other pins as the caller wants them) and dir the ADBUS directions.
type spiFlash struct {
	m         *mpsse
	idle, dir byte
	sleep     func(context.Context, time.Duration) error
}

// queue queues one command: CS low, cmd out (xfer: and as many bytes in), CS high.
func (f *spiFlash) queue(cmd []byte, xfer bool) {
	f.m.setLow(f.idle&^pinCS, f.dir)
	if xfer {
		f.m.spiXfer(cmd)
	} else {
		f.m.spiWrite(cmd)
	}
	f.m.setLow(f.idle, f.dir)
}

// wake makes the flash listen: eight 0xFF bytes end a continuous-read mode a design may have
// left it in, then 0xAB releases it from deep power-down.
func (f *spiFlash) wake(ctx context.Context) error {
	f.queue([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, false)
	f.queue([]byte{cmdReleasePower}, false)
	if _, err := f.m.exchange(ctx); err != nil {
		return fmt.Errorf("wake flash: %w", err)
	}
	return f.sleep(ctx, 100*time.Microsecond) // tRES1: 3 us (Winbond) to 30 us (Micron)
}

// identify reads the JEDEC ID.
func (f *spiFlash) identify(ctx context.Context) (Chip, error) {
	f.queue([]byte{cmdJEDECID, 0, 0, 0}, true)
	r, err := f.m.exchange(ctx)
	if err != nil {
		return Chip{}, fmt.Errorf("read JEDEC ID: %w", err)
	}
	return identify([3]byte(r[1:4]))
}

// status reads the status register.
func (f *spiFlash) status(ctx context.Context) (byte, error) {
	f.queue([]byte{cmdReadStatus, 0}, true)
	r, err := f.m.exchange(ctx)
	if err != nil {
		return 0, fmt.Errorf("read status: %w", err)
	}
	return r[1], nil
}

// waitIdle polls the status register until the write in progress ends, polling every
// interval and giving up after limit of sleeping. A status already read is passed as st.
func (f *spiFlash) waitIdle(ctx context.Context, what string, st byte, interval, limit time.Duration) error {
	var waited time.Duration
	for st&statusWIP != 0 {
		if waited >= limit {
			return fmt.Errorf("%s: flash still busy after %v: %w", what, limit, ErrTimeout)
		}
		if err := f.sleep(ctx, interval); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		waited += interval
		var err error
		if st, err = f.status(ctx); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// erase erases one sector or block and waits for the end.
func (f *spiFlash) erase(ctx context.Context, op eraseOp) error {
	cmd, limit, what := byte(cmdSectorErase), limitSector, "erase 4 KiB sector"
	if op.size == blockSize {
		cmd, limit, what = cmdBlockErase, limitBlock, "erase 64 KiB block"
	}
	what = fmt.Sprintf("%s at 0x%06x", what, op.addr)
	f.queue([]byte{cmdWriteEnable}, false)
	f.queue([]byte{cmd, byte(op.addr >> 16), byte(op.addr >> 8), byte(op.addr)}, false)
	if _, err := f.m.exchange(ctx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return f.waitIdle(ctx, what, statusWIP, pollErase, limit)
}

// program writes data (at most one page, not crossing a page boundary) at addr and waits for
// the end. Write enable, page program and the first status poll go in one exchange.
func (f *spiFlash) program(ctx context.Context, addr int, data []byte) error {
	if len(data) == 0 || addr%pageSize+len(data) > pageSize {
		return fmt.Errorf("page program of %d bytes at 0x%06x crosses a page", len(data), addr)
	}
	what := fmt.Sprintf("program page at 0x%06x", addr)
	f.queue([]byte{cmdWriteEnable}, false)
	cmd := append([]byte{cmdPageProgram, byte(addr >> 16), byte(addr >> 8), byte(addr)}, data...)
	f.queue(cmd, false)
	f.queue([]byte{cmdReadStatus, 0}, true)
	r, err := f.m.exchange(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return f.waitIdle(ctx, what, r[1], pollProgram, limitProgram)
}

// read reads n bytes from addr, at most maxReply per exchange.
func (f *spiFlash) read(ctx context.Context, addr, n int) ([]byte, error) {
	out := make([]byte, 0, n)
	const head = 4 // command and address: their reply bytes are dropped
	for len(out) < n {
		a := addr + len(out)
		k := min(n-len(out), maxReply-head)
		cmd := make([]byte, head+k)
		cmd[0], cmd[1], cmd[2], cmd[3] = cmdRead, byte(a>>16), byte(a>>8), byte(a)
		f.queue(cmd, true)
		r, err := f.m.exchange(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %d bytes at 0x%06x: %w", k, a, err)
		}
		out = append(out, r[head:]...)
	}
	return out, nil
}
