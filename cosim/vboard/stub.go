//go:build !verilator

package vboard

// Available reports whether this binary contains the Verilated board.
const Available = false

// Board is unavailable in this build; see ErrNotBuilt.
type Board struct{}

// New reports ErrNotBuilt: this binary was built without the Verilated board.
func New(Options) (*Board, error) { return nil, ErrNotBuilt }

// BuildInfo is empty in this build.
func BuildInfo() Info { return Info{} }

func (b *Board) Info() Info                { return Info{} }
func (b *Board) Close() error              { return nil }
func (b *Board) UARTWrite([]byte)          {}
func (b *Board) UARTRead() []byte          { return nil }
func (b *Board) Push(int, []byte)          {}
func (b *Board) Run(uint64) (uint64, bool) { return 0, false }
func (b *Board) Out() []Frame              { return nil }
func (b *Board) Reset(int)                 {}
func (b *Board) SetUARTDiv(int)            {}
func (b *Board) Cycles() uint64            { return 0 }
func (b *Board) Stats() Stats              { return Stats{} }
