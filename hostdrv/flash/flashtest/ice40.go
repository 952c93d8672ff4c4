package flashtest

import (
	"bytes"
	"time"
)

// syncWord starts an iCE40 bitstream's configuration data.
var syncWord = []byte{0x7E, 0xAA, 0x99, 0x7E}

// hasSync reports whether p holds a bitstream's sync word near its start (after the comment).
func hasSync(p []byte) bool {
	return bytes.Contains(p[:min(len(p), 4096)], syncWord)
}

type mode int

const (
	modeReset  mode = iota // CRESET_B low
	modeMaster             // CRESET_B rose with SPI_SS_B high: configuring from flash
	modeSlave              // CRESET_B rose with SPI_SS_B low: waiting for a bitstream
)

// sramClear is how long an iCE40 clears its configuration memory after CRESET_B rises in SPI
// slave mode (TN1248: at least 1200 us before the bitstream).
const sramClear = 1200 * time.Microsecond

// ICE40 is the FPGA on the fake board. From flash it configures (CDONE high) BootTime after
// CRESET_B rises with SPI_SS_B high, if the flash holds a bitstream (a sync word near the
// start). In SPI slave mode it takes a bitstream sent at least 1.2 ms after CRESET_B rose,
// after at least 8 clocks with SPI_SS_B high, and configures once 49 more clocks with SPI_SS_B
// high follow it.
type ICE40 struct {
	// StuckLow keeps CDONE low whatever happens (a dead FPGA, a board wired wrong).
	StuckLow bool

	// What the fake saw:
	Resets            int    // falling edges of CRESET_B
	Boots             int    // configurations from flash begun
	SRAM              []byte // bitstream received in SPI slave mode
	Leading, Trailing int    // clocks with SPI_SS_B high before and after it

	mode       mode
	riseAt     time.Duration
	bootOK     bool // the flash held a bitstream when CRESET_B rose
	dataOK     bool // the bitstream came late and after its dummy clocks enough
	configured bool
	bootTime   time.Duration
	issue      func(format string, args ...any)
	flash      *Flash
}

// Configured reports whether CDONE was seen high.
func (c *ICE40) Configured() bool { return c.configured && !c.StuckLow }

// Mode is "reset", "flash" (configuring or configured from flash) or "sram".
func (c *ICE40) Mode() string {
	return [...]string{"reset", "flash", "sram"}[c.mode]
}

func (c *ICE40) reset() {
	c.mode, c.configured = modeReset, false
	c.Resets++
}

func (c *ICE40) release(now time.Duration, ssHigh bool) {
	c.riseAt = now
	if ssHigh {
		c.mode = modeMaster
		c.Boots++
		c.bootOK = c.flash != nil && hasSync(c.flash.Mem)
		return
	}
	c.mode = modeSlave
	c.SRAM, c.Leading, c.Trailing, c.dataOK = nil, 0, 0, true
}

func (c *ICE40) cdone(now time.Duration) bool {
	if c.mode == modeMaster && c.bootOK && now-c.riseAt >= c.bootTime {
		c.configured = true
	}
	return c.Configured()
}

// booting reports whether the iCE40 is (still) reading its flash, as SPI master.
func (c *ICE40) booting(now time.Duration) bool {
	return c.mode == modeMaster && !c.cdone(now)
}

// clock takes one byte clocked on the SPI bus with SPI_SS_B at level ss.
func (c *ICE40) clock(b byte, ss bool, now time.Duration) {
	if c.mode != modeSlave {
		return
	}
	if ss {
		if len(c.SRAM) == 0 {
			c.Leading += 8
			return
		}
		c.Trailing += 8
		if c.Trailing >= 49 && c.dataOK && hasSync(c.SRAM) {
			c.configured = true
		}
		return
	}
	if len(c.SRAM) == 0 {
		if now-c.riseAt < sramClear {
			c.issue("bitstream began %v after CRESET_B rose: the iCE40 needs %v to clear", now-c.riseAt, sramClear)
			c.dataOK = false
		}
		if c.Leading < 8 {
			c.issue("bitstream began after %d dummy clocks with SPI_SS_B high: want at least 8", c.Leading)
			c.dataOK = false
		}
	}
	if c.Trailing > 0 && !c.configured {
		c.issue("bitstream data after %d trailing dummy clocks", c.Trailing)
		c.dataOK = false
	}
	c.SRAM = append(c.SRAM, b)
}
