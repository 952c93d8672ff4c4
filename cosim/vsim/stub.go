//go:build !verilator

package vsim

// Available reports whether this binary contains the Verilated pipeline.
const Available = false

// Sim is unavailable in this build; see ErrNotBuilt.
type Sim struct{}

// New reports ErrNotBuilt: this binary was built without the Verilated model.
func New(Options) (*Sim, error) { return nil, ErrNotBuilt }

// BuildInfo is empty in this build.
func BuildInfo() Info { return Info{} }

func (s *Sim) Info() Info                { return Info{} }
func (s *Sim) Close() error              { return nil }
func (s *Sim) Bus([]BusOp)               {}
func (s *Sim) Push([]Frame)              {}
func (s *Sim) Run(uint64) (uint64, bool) { return 0, true }
func (s *Sim) Step(uint64)               {}
func (s *Sim) Take() []Out               { return nil }
func (s *Sim) Cycles() uint64            { return 0 }
func (s *Sim) ProtocolErrors() uint64    { return 0 }
func (s *Sim) RxStalls() uint64          { return 0 }

// Serial reports whether the simulated core is lr_core_serial (build tag serialcore).
const Serial = false
