package link

// The protocol of rtl/link/README.md: frame types, the status byte, the REG op list and the
// HELLO answer.

// Frame types.
const (
	TypeHello    uint8 = 0x01 // host -> device: who are you (also starts a session)
	TypeReg      uint8 = 0x02 // host -> device: register op list
	TypeInject   uint8 = 0x03 // host -> device: inject header + frame
	TypeAnswer   uint8 = 0x80 // an answer's type is TypeAnswer | the request's type
	TypePunt     uint8 = 0x90 // device -> host: punt header + frame
	TypePortTx   uint8 = 0x91 // device -> host: port + frame with FCS
	HelloAnswer        = TypeAnswer | TypeHello
	RegAnswer          = TypeAnswer | TypeReg
	InjectAnswer       = TypeAnswer | TypeInject
)

// Status byte of an answer.
const (
	StatusOK         uint8 = 0
	StatusBadRequest uint8 = 1
	StatusTooBig     uint8 = 2
	StatusCodeMask   uint8 = 0x0F
	StatusAttached   uint8 = 0x80 // set by HELLO, cleared by a device reset
)

// REG op codes; an op is op(1) | addr(2) | count(1) [| count words for a write].
const (
	OpWrite  uint8 = 0x01
	OpRead   uint8 = 0x02
	OpHeader       = 4   // bytes before an op's data words
	MaxCount       = 255 // words per op
)

// HelloLen is the length of a HELLO answer's payload; HelloRegs core registers follow the
// HelloFixed link facts.
const (
	HelloFixed = 12
	HelloRegs  = 12
	HelloLen   = HelloFixed + 4*HelloRegs
)

// Version is the link protocol version this package speaks.
const Version = 1

// Overhead is the decoded size of a frame around its payload (type, seq, CRC).
const Overhead = overhead
