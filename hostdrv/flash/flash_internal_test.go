package flash

import (
	"errors"
	"strings"
	"testing"

	"github.com/linerate/linerate/hostdrv/ftdi"
)

func TestPlanErase(t *testing.T) {
	const K = 1 << 10
	for _, tc := range []struct {
		n        int
		blocks   int // 64 KiB erases
		sectors  int // 4 KiB erases
		erasedTo int
	}{
		{1, 0, 1, 4 * K},
		{4 * K, 0, 1, 4 * K},
		{4*K + 1, 0, 2, 8 * K},
		{64*K - 1, 1, 0, 64 * K}, // rounds up to a whole block
		{60 * K, 0, 15, 60 * K},
		{64 * K, 1, 0, 64 * K},
		{64*K + 1, 1, 1, 68 * K},
		{100 * K, 1, 9, 100 * K},
		{104090, 1, 10, 104 * K}, // an iCE40UP5K bitstream
		{135100, 2, 1, 132 * K},  // an iCE40-HX8K bitstream
	} {
		ops := planErase(tc.n)
		var blocks, sectors, next int
		for _, op := range ops {
			if op.addr != next || op.addr%op.size != 0 {
				t.Fatalf("n=%d: erase %+v after 0x%x: not contiguous and aligned", tc.n, op, next)
			}
			switch op.size {
			case blockSize:
				blocks++
			case sectorSize:
				sectors++
			default:
				t.Fatalf("n=%d: erase size %d", tc.n, op.size)
			}
			next = op.addr + op.size
		}
		if blocks != tc.blocks || sectors != tc.sectors || next != tc.erasedTo {
			t.Errorf("n=%d: %d blocks + %d sectors to 0x%x, want %d + %d to 0x%x",
				tc.n, blocks, sectors, next, tc.blocks, tc.sectors, tc.erasedTo)
		}
	}
}

func TestIdentify(t *testing.T) {
	for _, tc := range []struct {
		id   [3]byte
		name string
		size int
		err  error
	}{
		{[3]byte{0xEF, 0x40, 0x18}, "Winbond W25Q128", 16 << 20, nil}, // iCEBreaker
		{[3]byte{0xEF, 0x70, 0x18}, "Winbond W25Q128", 16 << 20, nil},
		{[3]byte{0x20, 0xBA, 0x16}, "Micron N25Q032", 4 << 20, nil}, // iCE40-HX8K breakout
		{[3]byte{0xC2, 0x28, 0x17}, "Macronix MX25R, 64 Mbit", 8 << 20, nil},
		{[3]byte{0xFF, 0xFF, 0xFF}, "", 0, ErrNoDevice},
		{[3]byte{0x00, 0x00, 0x00}, "", 0, ErrNoDevice},
		{[3]byte{0x12, 0x34, 0x56}, "", 0, ErrWrongDevice},
		{[3]byte{0xEF, 0x40, 0x05}, "", 0, ErrWrongDevice}, // a known family, a nonsense size
	} {
		chip, err := identify(tc.id)
		if !errors.Is(err, tc.err) || chip.Name != tc.name || chip.Size != tc.size {
			t.Errorf("identify(% x) = %+v, %v; want %q, %d, %v", tc.id, chip, err, tc.name, tc.size, tc.err)
		}
	}
	if _, err := identify([3]byte{0xFF, 0xFF, 0xFF}); !strings.Contains(err.Error(), "no flash answers") {
		t.Errorf("all-ones ID: %v, want it to say no flash answers", err)
	}
}

func TestClockDivisor(t *testing.T) {
	for _, tc := range []struct{ hz, div int }{
		{30_000_000, 0}, {15_000_000, 1}, {6_000_000, 4}, {5_000_000, 5}, {5_999_999, 5}, {1_000_000, 29},
	} {
		div, err := clockDivisor(tc.hz)
		if err != nil || div != tc.div {
			t.Errorf("clockDivisor(%d) = %d, %v; want %d", tc.hz, div, err, tc.div)
		}
		if got := mpsseClockHz / (2 * (1 + div)); got > tc.hz {
			t.Errorf("clockDivisor(%d): SCK %d Hz is faster than asked", tc.hz, got)
		}
	}
	for _, hz := range []int{0, -1, 30_000_001, 100} {
		if _, err := clockDivisor(hz); err == nil {
			t.Errorf("clockDivisor(%d): no error", hz)
		}
	}
}

func TestPickDevice(t *testing.T) {
	h := ftdi.DeviceID{VID: VendorFTDI, PID: ProductFT2232H, BCD: bcdFT2232H}
	ft232r := ftdi.DeviceID{VID: VendorFTDI, PID: 0x6001, BCD: 0x0600}
	ft2232d := ftdi.DeviceID{VID: VendorFTDI, PID: ProductFT2232H, BCD: 0x0500}
	for _, tc := range []struct {
		name  string
		found []ftdi.DeviceID
		ok    []int
		err   error
	}{
		{"none", nil, nil, ErrNoDevice},
		{"one", []ftdi.DeviceID{h}, []int{0}, nil},
		{"two and a stranger", []ftdi.DeviceID{ft232r, h, h}, []int{1, 2}, nil},
		{"FT232R only", []ftdi.DeviceID{ft232r}, nil, ErrWrongDevice},
		{"FT2232D", []ftdi.DeviceID{ft2232d}, nil, ErrWrongDevice},
	} {
		ok, err := pickDevice(tc.found, VendorFTDI, ProductFT2232H)
		if !errors.Is(err, tc.err) || len(ok) != len(tc.ok) {
			t.Errorf("%s: %v, %v; want %v, %v", tc.name, ok, err, tc.ok, tc.err)
		}
		for i := range ok {
			if ok[i] != tc.ok[i] {
				t.Errorf("%s: %v, want %v", tc.name, ok, tc.ok)
			}
		}
	}
}

func TestFirstDiff(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		i    int
	}{{"", "", -1}, {"abc", "abc", -1}, {"abc", "abd", 2}, {"ab", "abc", 2}, {"xbc", "abc", 0}} {
		if i := firstDiff([]byte(tc.a), []byte(tc.b)); i != tc.i {
			t.Errorf("firstDiff(%q, %q) = %d, want %d", tc.a, tc.b, i, tc.i)
		}
	}
}
