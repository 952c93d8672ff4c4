// Package regmap is the data plane's register map in Go: addresses and table layouts generated
// from hostdrv/regspec (regmap_gen.go), and the encoding of a table image into register writes.
package regmap

// Field is one field of a table entry; each field has its own staging register.
type Field struct {
	Name  string
	Width int
}

// Table describes one table's registers.
type Table struct {
	Name   string
	Base   uint16
	Fields []Field
}

// Index is the address of the table's INDEX register.
func (t *Table) Index() uint16 { return t.Base + TableIndexOff }

// Cmd is the address of the table's CMD register.
func (t *Table) Cmd() uint16 { return t.Base + TableCmdOff }

// Data is the address of the staging register of field k.
func (t *Table) Data(k int) uint16 { return t.Base + TableDataOff + uint16(4*k) }

// CounterAddr is the address of counter i.
func CounterAddr(i int) uint16 { return CounterBase + uint16(4*i) }

// PortCounter is the index of port p's counter k (0 rx_frames, 1 rx_bytes, 2 tx_frames, 3 tx_bytes).
func PortCounter(p, k int) int { return 4*p + k }

// ReasonCounter is the index of reason code r's counter in a build with nports ports.
func ReasonCounter(nports, r int) int { return 4*nports + r }

// CPUCounter is the index of CPU counter k (0 cpu_frames, 1 cpu_bytes, 2 inject_frames,
// 3 inject_dropped) in a build with nports ports.
func CPUCounter(nports, k int) int { return 4*nports + ReasonSlots + k }

// NumCounters is the number of counters in a build with nports ports.
func NumCounters(nports int) int { return 4*nports + ReasonSlots + len(CPUCounterNames) }
