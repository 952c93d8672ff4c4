package flash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

// MPSSE opcodes (FTDI AN_108), all the ones this package sends.
const (
	opWriteBytes    = 0x11 // bytes out, MSB first, on the falling edge: SPI mode 0 write
	opXferBytes     = 0x31 // ... and bytes in on the rising edge at the same time
	opSetLow        = 0x80 // ADBUS value, direction (1 = output)
	opGetLow        = 0x81 // read ADBUS: one byte back
	opLoopbackOff   = 0x85 // DO is not looped back to DI
	opClockDivisor  = 0x86 // divisor low, high
	opSendImmediate = 0x87 // flush the reply buffer to the host now
	opDiv5Off       = 0x8A // 60 MHz master clock instead of 12 MHz
	opThreePhaseOff = 0x8D
	opAdaptiveOff   = 0x97
	opBogus         = 0xAA // not an opcode: the chip answers 0xFA 0xAA (used to sync)
	respBadCommand  = 0xFA // the chip's answer to an unknown opcode, followed by the opcode
)

const (
	mpsseClockHz = 60_000_000 // with divide-by-5 off; SCK = this / (2 * (1 + divisor))
	maxSPIHz     = mpsseClockHz / 2
	maxXfer      = 1 << 16 // bytes per 0x11/0x31 command (the length field holds n-1)
	// maxReply bounds the reply bytes asked for in one exchange: the chip's 4 KiB reply
	// buffer must never fill while the host is still writing, or both wait for each other.
	maxReply     = 2048
	readPackets  = 8 // packets per bulk IN transfer
	defaultReply = time.Second
)

// mpsse queues MPSSE commands and runs them in exchanges: one bulk write of the queue (with
// send-immediate when replies are due), then bulk reads until every reply byte has come.
type mpsse struct {
	usb     USB
	packet  int
	timeout time.Duration // for the replies of one exchange

	cmd   []byte // queued commands
	reply int    // reply bytes the queued commands produce
	rbuf  []byte // one bulk IN transfer
}

// newMPSSE puts channel A into MPSSE mode and checks that the command processor answers:
// reset, purge, latency timer, bit mode reset then MPSSE, the 0xAA sync, then clock setup
// (60 MHz base; no adaptive clocking, which would wait on ADBUS7, CRESET_B here, as RTCK; no
// 3-phase clocking; SCK at hz or below; no loopback)
// and every ADBUS pin an input (SCK low, CS and CRESET_B high once they drive): the board is
// left alone until an operation needs it.
func newMPSSE(ctx context.Context, usb USB, packet int, timeout time.Duration, hz int) (*mpsse, error) {
	div, err := clockDivisor(hz)
	if err != nil {
		return nil, err
	}
	m := &mpsse{usb: usb, packet: packet, timeout: timeout, rbuf: make([]byte, packet*readPackets)}
	for _, r := range []struct {
		what string
		req  uint8
		val  uint16
	}{
		{"reset", ftdi.ReqReset, ftdi.ResetSIO},
		{"purge", ftdi.ReqReset, ftdi.ResetPurge1},
		{"purge", ftdi.ReqReset, ftdi.ResetPurge2},
		{"set latency timer", ftdi.ReqSetLatencyTimer, latencyMs},
		{"reset bit mode", ftdi.ReqSetBitmode, ftdi.BitmodeReset << 8},
		{"set MPSSE bit mode", ftdi.ReqSetBitmode, ftdi.BitmodeMPSSE << 8},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, err := usb.Control(ftdi.RequestOut, r.req, r.val, chanA, nil); err != nil {
			return nil, fmt.Errorf("ftdi %s (request 0x%02x, value 0x%04x): %w", r.what, r.req, r.val, err)
		}
	}
	if err := m.sync(ctx); err != nil {
		return nil, err
	}
	m.cmd = append(m.cmd, opDiv5Off, opAdaptiveOff, opThreePhaseOff,
		opClockDivisor, byte(div), byte(div>>8), opLoopbackOff)
	m.setLow(pinCS|pinCRESET, 0)
	if _, err := m.exchange(ctx); err != nil {
		return nil, fmt.Errorf("mpsse setup: %w", err)
	}
	return m, nil
}

// clockDivisor gives the divisor for the fastest SCK not above hz.
func clockDivisor(hz int) (int, error) {
	if hz <= 0 || hz > maxSPIHz {
		return 0, fmt.Errorf("SPI clock %d Hz: want 1..%d", hz, maxSPIHz)
	}
	div := (maxSPIHz+hz-1)/hz - 1
	if div > 0xFFFF {
		return 0, fmt.Errorf("SPI clock %d Hz: below the slowest, %d Hz", hz, maxSPIHz/0x10000)
	}
	return div, nil
}

// sync sends a bogus opcode and reads until the chip's "bad command" answer to it, which
// proves that the MPSSE runs and that nothing stale is left in the reply stream.
func (m *mpsse) sync(ctx context.Context) error {
	if err := m.write(ctx, []byte{opBogus, opSendImmediate}); err != nil {
		return fmt.Errorf("mpsse sync: %w", err)
	}
	want := []byte{respBadCommand, opBogus}
	var got []byte
	err := m.read(ctx, func(p []byte) bool {
		got = append(got, p...)
		return bytes.Contains(got, want)
	})
	if err != nil {
		return fmt.Errorf("mpsse sync (no answer to bogus opcode 0x%02x; is channel A in MPSSE mode?): %w", opBogus, err)
	}
	if i := bytes.Index(got, want); i+len(want) != len(got) {
		return fmt.Errorf("mpsse sync: unexpected bytes % x after the answer % x", got[i+len(want):], want)
	}
	return nil
}

// setLow queues setting ADBUS: pin values and directions (1 = output).
func (m *mpsse) setLow(value, dir byte) {
	m.cmd = append(m.cmd, opSetLow, value, dir)
}

// getLow queues reading ADBUS: one reply byte.
func (m *mpsse) getLow() {
	m.cmd = append(m.cmd, opGetLow)
	m.reply++
}

// spiWrite queues clocking p out on MOSI, MSB first, in SPI mode 0.
func (m *mpsse) spiWrite(p []byte) { m.spi(opWriteBytes, p) }

// spiXfer queues clocking p out while reading as many bytes in: len(p) reply bytes.
func (m *mpsse) spiXfer(p []byte) {
	m.spi(opXferBytes, p)
	m.reply += len(p)
}

func (m *mpsse) spi(op byte, p []byte) {
	for len(p) > 0 {
		n := min(len(p), maxXfer)
		m.cmd = append(m.cmd, op, byte(n-1), byte((n-1)>>8))
		m.cmd = append(m.cmd, p[:n]...)
		p = p[n:]
	}
}

// exchange runs the queued commands and returns their replies, in order.
func (m *mpsse) exchange(ctx context.Context) ([]byte, error) {
	want := m.reply
	if want > 0 {
		m.cmd = append(m.cmd, opSendImmediate)
	}
	cmd := m.cmd
	m.cmd, m.reply = m.cmd[:0], 0
	if err := m.write(ctx, cmd); err != nil {
		return nil, err
	}
	if want == 0 {
		return nil, nil
	}
	got := make([]byte, 0, want)
	err := m.read(ctx, func(p []byte) bool {
		got = append(got, p...)
		return len(got) >= want
	})
	if err != nil {
		return nil, fmt.Errorf("%d of %d reply bytes: %w", len(got), want, err)
	}
	if len(got) > want {
		return nil, fmt.Errorf("mpsse: %d reply bytes where %d were due (a rejected command? % x)",
			len(got), want, got[want:min(len(got), want+8)])
	}
	return got, nil
}

// write writes all of p, one bulk transfer after another.
func (m *mpsse) write(ctx context.Context, p []byte) error {
	for len(p) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := m.usb.WriteBulk(ctx, p)
		if err != nil {
			return fmt.Errorf("usb write: %w", ctxErr(ctx, err))
		}
		if n == 0 {
			return fmt.Errorf("usb write: %w", io.ErrShortWrite)
		}
		p = p[n:]
	}
	return nil
}

// read hands the payload of each bulk IN transfer to done until it returns true. It gives up
// with ErrTimeout when no payload arrives for m.timeout.
func (m *mpsse) read(ctx context.Context, done func(payload []byte) bool) error {
	last := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := m.usb.ReadBulk(ctx, m.rbuf)
		if err != nil {
			return fmt.Errorf("usb read: %w", ctxErr(ctx, err))
		}
		p := ftdi.StripStatus(m.rbuf[:n], m.packet)
		if len(p) == 0 {
			if time.Since(last) > m.timeout {
				return fmt.Errorf("ftdi: no reply for %v: %w", m.timeout, ErrTimeout)
			}
			continue
		}
		last = time.Now()
		if done(p) {
			return nil
		}
	}
}

// ctxErr prefers ctx's error to err once ctx has ended: libusb reports a transfer that the
// context cancelled as its own "transfer cancelled".
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}
