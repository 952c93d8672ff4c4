// Package regspec is the one source of the data plane's register map (ARCHITECTURE 3.5). The
// generator cmd/lrgen turns it into the Verilog register block (rtl/csr/lr_csr.v), the Go
// constants (hostdrv/regmap/regmap_gen.go) and the Markdown reference (rtl/csr/registers.md).
// Change the map here, run `make gen`, and commit the three generated files with it.
package regspec

// Version is the register-map version, readable at VERSION (major<<16 | minor). Bump the major
// number when an address or a field moves, the minor number when something is added.
const (
	VersionMajor = 1
	VersionMinor = 1
)

// IDValue is the identity word every register block starts with: "LNRT".
const IDValue = 0x4C4E5254

// Access says how the host may use a register.
type Access string

const (
	RO Access = "RO" // read only
	RW Access = "RW" // read and write
	WO Access = "WO" // write only (reads return 0)
)

// Reg is one 32-bit register at a fixed byte address.
type Reg struct {
	Name   string // Go and Markdown name, e.g. "ID"
	Addr   uint16 // byte address
	Access Access
	// Value is the Verilog expression an RO register reads as (a parameter or a constant).
	Value string
	Doc   string
}

// Field is one field of a table entry. Every field has its own 32-bit staging register, so a
// field is at most 32 bits wide; wider values (MAC addresses) are split into _hi and _lo.
type Field struct {
	Name  string
	Width int
	Doc   string
}

// Table is a memory of entries written whole: the host fills the staging registers DATA0..k,
// sets INDEX and writes CMD=1; the entry changes in one clock, so traffic never sees half an
// entry. CMD=2 reads the entry at INDEX back into the staging registers (allow 4 clocks).
type Table struct {
	Name      string // lower case; Verilog ports are tbl_<name>_*
	Base      uint16 // INDEX at Base, CMD at Base+4, DATAk at Base+0x10+4k
	SizeParam string // the lr_core parameter that sizes it
	Fields    []Field
	Doc       string
}

// Table register offsets and commands.
const (
	TableIndexOff = 0x00
	TableCmdOff   = 0x04
	TableDataOff  = 0x10
	CmdWrite      = 1
	CmdRead       = 2
)

// Counter layout: counter i is at CounterBase + 4*i. Per port p: 4p+{rx_frames, rx_bytes,
// tx_frames, tx_bytes}; then one per reason code (ReasonSlots of them); then the CPU counters.
const (
	CounterBase = 0x1000
	ReasonSlots = 32
)

// PortCounters and CPUCounters name the per-port and CPU counters in layout order.
var (
	PortCounters = []string{"rx_frames", "rx_bytes", "tx_frames", "tx_bytes"}
	CPUCounters  = []string{"cpu_frames", "cpu_bytes", "inject_frames", "inject_dropped"}
)

// CtrlCountersClear is the CTRL bit that zeroes every counter.
const CtrlCountersClear = 1 << 0

// Params are the lr_core build parameters the register block reports, in port order.
var Params = []string{"N_PORTS", "LPM_ENTRIES", "ADJ_ENTRIES", "RADDR_ENTRIES", "DATA_WIDTH", "MAX_FRAME_BYTES", "BUILD_ID", "BUILD_DATE"}

// Regs are the plain registers.
var Regs = []Reg{
	{Name: "ID", Addr: 0x0000, Access: RO, Value: "32'h4C4E5254", Doc: `identity word, "LNRT"`},
	{Name: "VERSION", Addr: 0x0004, Access: RO, Value: "VERSION", Doc: "register-map version, major<<16 | minor"},
	{Name: "BUILD_ID", Addr: 0x0008, Access: RO, Value: "BUILD_ID", Doc: "build identity (e.g. git hash prefix), a build parameter"},
	{Name: "N_PORTS", Addr: 0x000C, Access: RO, Value: "N_PORTS", Doc: "number of packet ports"},
	{Name: "LPM_ENTRIES", Addr: 0x0010, Access: RO, Value: "LPM_ENTRIES", Doc: "LPM (TCAM) entries"},
	{Name: "ADJ_ENTRIES", Addr: 0x0014, Access: RO, Value: "ADJ_ENTRIES", Doc: "adjacency rows"},
	{Name: "RADDR_ENTRIES", Addr: 0x0018, Access: RO, Value: "RADDR_ENTRIES", Doc: "router-address entries"},
	{Name: "DATA_WIDTH", Addr: 0x001C, Access: RO, Value: "DATA_WIDTH", Doc: "stream width in bits"},
	{Name: "MAX_FRAME_BYTES", Addr: 0x0020, Access: RO, Value: "MAX_FRAME_BYTES", Doc: "longest frame (without FCS) the ingress accepts"},
	{Name: "N_COUNTERS", Addr: 0x0024, Access: RO, Value: "NCNT", Doc: "number of counters at COUNTER_BASE"},
	{Name: "BUILD_DATE", Addr: 0x0028, Access: RO, Value: "BUILD_DATE", Doc: "build date as the decimal number YYYYMMDD, a build parameter"},
	{Name: "SCRATCH", Addr: 0x0030, Access: RW, Doc: "scratch register for bus tests"},
	{Name: "CTRL", Addr: 0x0034, Access: WO, Doc: "bit 0: zero every counter"},
}

// Tables are the data plane's tables (formats in rtl/core/README.md).
var Tables = []Table{
	{Name: "port", Base: 0x0100, SizeParam: "N_PORTS", Doc: "per port: router MAC and MTU", Fields: []Field{
		{"mac_hi", 16, "MAC bytes 0-1 (byte 0 in bits 15:8)"},
		{"mac_lo", 32, "MAC bytes 2-5"},
		{"mtu", 16, "IP MTU; frames longer than mtu+18 bytes are giants"},
	}},
	{Name: "raddr", Base: 0x0200, SizeParam: "RADDR_ENTRIES", Doc: "router addresses (to_me)", Fields: []Field{
		{"valid", 1, "entry in use"},
		{"addr", 32, "IPv4 address"},
	}},
	{Name: "lpm", Base: 0x0300, SizeParam: "LPM_ENTRIES", Doc: "TCAM: lowest matching index wins", Fields: []Field{
		{"valid", 1, "entry in use"},
		{"value", 32, "key value (already masked)"},
		{"mask", 32, "key mask, 1 = compare"},
		{"adj", 16, "adjacency row"},
	}},
	{Name: "adj", Base: 0x0400, SizeParam: "ADJ_ENTRIES", Doc: "adjacency rows (next hops)", Fields: []Field{
		{"kind", 2, "0 glean, 1 forward, 2 blackhole"},
		{"port", 8, "egress port"},
		{"dmac_hi", 16, "destination MAC bytes 0-1"},
		{"dmac_lo", 32, "destination MAC bytes 2-5"},
		{"smac_hi", 16, "source MAC bytes 0-1"},
		{"smac_lo", 32, "source MAC bytes 2-5"},
		{"mtu", 16, "egress IP MTU"},
	}},
}

// LinkRegBase is where the host link's own registers start (rtl/link/README.md): read-only,
// 32-bit wrapping counters kept by lr_link and answered by the link itself, not the core.
const LinkRegBase = 0xF000

// LinkRegs are the host link's counters in address order (LinkRegBase + 4*i).
var LinkRegs = []Reg{
	{Name: "rx_frames", Doc: "good frames received (any type)"},
	{Name: "rx_bad", Doc: "frames dropped: COBS, CRC, short, too long"},
	{Name: "rx_overrun", Doc: "frames dropped because a request was still in progress"},
	{Name: "rx_dup", Doc: "requests answered from the kept answer"},
	{Name: "uart_errors", Doc: "UART framing errors (stop bit 0)"},
	{Name: "punt_frames", Doc: "PUNT frames sent"},
	{Name: "punt_dropped", Doc: "punts dropped (FIFO full or too long)"},
	{Name: "port_frames", Doc: "PORT_TX frames sent"},
	{Name: "port_dropped", Doc: "port frames dropped"},
	{Name: "inject_frames", Doc: "INJECT requests executed"},
	{Name: "tx_frames", Doc: "frames sent (all types)"},
}
