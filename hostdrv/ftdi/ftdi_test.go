package ftdi

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestEndpoints(t *testing.T) {
	for i, want := range [][2]int{{0x81, 0x02}, {0x83, 0x04}, {0x85, 0x06}, {0x87, 0x08}} {
		if in, out := endpoints(i); in != want[0] || out != want[1] {
			t.Errorf("channel %d: IN 0x%02x OUT 0x%02x, want 0x%02x 0x%02x", i, in, out, want[0], want[1])
		}
	}
}

func TestDefaultChips(t *testing.T) {
	var o Options
	for _, bcd := range []uint16{0x0700, 0x0800, 0x0900} {
		if !o.wants(DeviceID{0, 0, bcd}) {
			t.Errorf("bcdDevice 0x%04x is an H chip", bcd)
		}
	}
	for _, bcd := range []uint16{0x0400, 0x0500, 0x0600, 0x1000} {
		if o.wants(DeviceID{0, 0, bcd}) {
			t.Errorf("bcdDevice 0x%04x is not an H chip", bcd)
		}
	}
}

// transfer builds one bulk IN transfer of packets with the given payload lengths, each payload
// behind the two status bytes as the chip sends it, and the payload StripStatus should return.
// The payload bytes count up from 0x40, so a status byte left in or a payload byte dropped shows.
func transfer(lens ...int) (raw, payload []byte) {
	for _, n := range lens {
		raw = append(raw, 0x31, 0x60) // modem status, line status (THRE, TEMT)
		for range n {
			b := byte(0x40 + len(payload))
			raw = append(raw, b)
			payload = append(payload, b)
		}
	}
	return raw, payload
}

func TestStripStatus(t *testing.T) {
	for _, tc := range []struct {
		maxPacket int
		lens      []int // payload bytes per packet; all but the last packet must be full
	}{
		{512, nil},
		{512, []int{0}},        // idle: status only
		{512, []int{10}},       // one short packet
		{512, []int{510, 98}},  // a full packet and a short one
		{512, []int{510, 0}},   // a full packet and a status-only one
		{64, []int{62, 62, 1}}, // full speed
	} {
		raw, want := transfer(tc.lens...)
		if got := StripStatus(raw, tc.maxPacket); !bytes.Equal(got, want) {
			t.Errorf("StripStatus(packets of %v, %d) = %d bytes, want %d", tc.lens, tc.maxPacket, len(got), len(want))
		}
	}
	if got := StripStatus([]byte{0x31}, 512); len(got) != 0 {
		t.Errorf("a truncated status: % x", got)
	}

	// Every byte at offset 0 or 1 of a 512-byte packet is status, whatever its value.
	var in, want []byte
	for i := range 2*512 + 100 {
		in = append(in, byte(i))
		if i%512 >= 2 {
			want = append(want, byte(i))
		}
	}
	if got := StripStatus(in, 512); !bytes.Equal(got, want) {
		t.Errorf("StripStatus: %d bytes, want %d", len(got), len(want))
	}
}

func TestCheck(t *testing.T) {
	h := DeviceID{0x0403, 0x6010, BCDFT2232H}
	vetErr := errors.New("vetted")
	for _, tc := range []struct {
		name  string
		opt   Options
		found []DeviceID
		err   error  // nil: a device is to be opened
		msg   string // in the error
	}{
		{"one", Options{VID: 0x0403, PID: 0x6010}, []DeviceID{h}, nil, ""},
		{"FT232H", Options{VID: 0x0403, PID: 0x6014}, []DeviceID{{0x0403, 0x6014, BCDFT232H}}, nil, ""},
		{"FT2232D and FT2232H", Options{VID: 0x0403, PID: 0x6010}, []DeviceID{{0x0403, 0x6010, 0x0500}, h}, nil, ""},
		{"none", Options{VID: 0x0403, PID: 0x6010}, nil, ErrNoDevice, "no USB device 0403:6010"},
		{"another product", Options{VID: 0x0403, PID: 0x6010}, []DeviceID{{0x0403, 0x6001, 0x0600}}, ErrNoDevice, "0403:6010"},
		{"FT2232D", Options{VID: 0x0403, PID: 0x6010}, []DeviceID{{0x0403, 0x6010, 0x0500}}, ErrWrongDevice,
			"not an FT2232H, FT4232H or FT232H (bcdDevice 0x0500)"},
		{"FT2232H only", Options{VID: 0x0403, PID: 0x6011, Chips: []uint16{BCDFT2232H}}, []DeviceID{{0x0403, 0x6011, BCDFT4232H}},
			ErrWrongDevice, "not an FT2232H (bcdDevice 0x0800)"},
		{"vetted", Options{VID: 0x0403, PID: 0x6010, Vet: func([]DeviceID) error { return vetErr }}, []DeviceID{h}, vetErr, "vetted"},
	} {
		err := tc.opt.check(tc.found)
		if tc.err == nil && err != nil || !errors.Is(err, tc.err) || tc.err != nil && !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v; want %v with %q", tc.name, err, tc.err, tc.msg)
		}
	}
}

func TestPickSerial(t *testing.T) {
	for _, tc := range []struct {
		serial  string
		serials []string
		pick    int
		err     error  // wrapped in the error, if not nil
		msg     string // in the error
	}{
		{"", []string{"A"}, 0, nil, ""},
		{"", []string{""}, 0, nil, ""},
		{"B", []string{"A", "B"}, 1, nil, ""},
		{"B", []string{"B", "B"}, 0, nil, ""}, // the first
		{"C", []string{"A", "B"}, -1, ErrNoDevice, `serial number "C" (found "A", "B")`},
		{"", []string{"A", "B"}, -1, nil, `2 USB devices are 0403:6010 (serial numbers "A", "B")`},
	} {
		o := Options{VID: 0x0403, PID: 0x6010, Serial: tc.serial}
		pick, err := o.pickSerial(tc.serials)
		if pick != tc.pick || (err == nil) != (tc.pick >= 0) || tc.err != nil && !errors.Is(err, tc.err) ||
			err != nil && !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("serial %q of %q: %d, %v; want %d, %v with %q", tc.serial, tc.serials, pick, err, tc.pick, tc.err, tc.msg)
		}
	}
}

func TestChannel(t *testing.T) {
	for _, tc := range []struct {
		want, n, got int // got -1: an error
	}{
		{AutoChannel, 2, 1}, // FT2232H: B, the boards' UART
		{AutoChannel, 4, 1},
		{AutoChannel, 1, 0}, // FT232H: its only channel
		{0, 2, 0},
		{3, 4, 3},
		{1, 1, -1},
		{4, 4, -1},
		{-2, 2, -1},
	} {
		o := Options{VID: 0x0403, PID: 0x6010, Channel: tc.want}
		got, err := o.channel(tc.n)
		if tc.got < 0 && err == nil || tc.got >= 0 && (err != nil || got != tc.got) {
			t.Errorf("channel %d of %d: %d, %v; want %d", tc.want, tc.n, got, err, tc.got)
		}
	}
}
