package rv32

// An instruction encoder, so that tests build programs without an assembler. Registers are
// 0..31; immediates and offsets are taken modulo their field (an assembler would reject what
// does not fit: use FitsI and friends where that matters). Branch and jump offsets are in bytes,
// relative to the instruction's own address.

// Format encoders, for any opcode and funct fields (reserved encodings included).

// EncR encodes an R-type instruction.
func EncR(opcode, f3, f7 uint32, rd, rs1, rs2 int) uint32 {
	return f7&0x7F<<25 | reg(rs2)<<20 | reg(rs1)<<15 | f3&7<<12 | reg(rd)<<7 | opcode&0x7F
}

// EncI encodes an I-type instruction (imm: 12 bits, signed).
func EncI(opcode, f3 uint32, rd, rs1 int, imm int32) uint32 {
	return uint32(imm)&0xFFF<<20 | reg(rs1)<<15 | f3&7<<12 | reg(rd)<<7 | opcode&0x7F
}

// EncS encodes an S-type instruction (imm: 12 bits, signed).
func EncS(opcode, f3 uint32, rs1, rs2 int, imm int32) uint32 {
	u := uint32(imm)
	return u>>5&0x7F<<25 | reg(rs2)<<20 | reg(rs1)<<15 | f3&7<<12 | u&0x1F<<7 | opcode&0x7F
}

// EncB encodes a conditional branch (off: 13 bits, signed, even).
func EncB(f3 uint32, rs1, rs2 int, off int32) uint32 {
	u := uint32(off)
	return u>>12&1<<31 | u>>5&0x3F<<25 | reg(rs2)<<20 | reg(rs1)<<15 | f3&7<<12 |
		u>>1&0xF<<8 | u>>11&1<<7 | opBranch
}

// EncU encodes a U-type instruction; imm20 goes to bits 31:12.
func EncU(opcode uint32, rd int, imm20 uint32) uint32 {
	return imm20&0xFFFFF<<12 | reg(rd)<<7 | opcode&0x7F
}

// EncJ encodes JAL (off: 21 bits, signed, even).
func EncJ(rd int, off int32) uint32 {
	u := uint32(off)
	return u>>20&1<<31 | u>>1&0x3FF<<21 | u>>11&1<<20 | u>>12&0xFF<<12 | reg(rd)<<7 | opJAL
}

func reg(r int) uint32 { return uint32(r) & 31 }

// FitsI tells whether v fits a 12-bit signed immediate (I and S types).
func FitsI(v int64) bool { return v >= -2048 && v <= 2047 }

// FitsB tells whether off is a valid conditional-branch offset.
func FitsB(off int64) bool { return off >= -4096 && off <= 4094 && off%2 == 0 }

// FitsJ tells whether off is a valid JAL offset.
func FitsJ(off int64) bool { return off >= -1<<20 && off <= 1<<20-2 && off%2 == 0 }

// The RV32I instructions.

func Lui(rd int, imm20 uint32) uint32   { return EncU(opLUI, rd, imm20) }
func Auipc(rd int, imm20 uint32) uint32 { return EncU(opAUIPC, rd, imm20) }
func Jal(rd int, off int32) uint32      { return EncJ(rd, off) }
func Jalr(rd, rs1 int, imm int32) uint32 {
	return EncI(opJALR, 0, rd, rs1, imm)
}

func Beq(rs1, rs2 int, off int32) uint32  { return EncB(0, rs1, rs2, off) }
func Bne(rs1, rs2 int, off int32) uint32  { return EncB(1, rs1, rs2, off) }
func Blt(rs1, rs2 int, off int32) uint32  { return EncB(4, rs1, rs2, off) }
func Bge(rs1, rs2 int, off int32) uint32  { return EncB(5, rs1, rs2, off) }
func Bltu(rs1, rs2 int, off int32) uint32 { return EncB(6, rs1, rs2, off) }
func Bgeu(rs1, rs2 int, off int32) uint32 { return EncB(7, rs1, rs2, off) }

// Loads: rd := mem[rs1 + imm].
func Lb(rd, rs1 int, imm int32) uint32  { return EncI(opLoad, 0, rd, rs1, imm) }
func Lh(rd, rs1 int, imm int32) uint32  { return EncI(opLoad, 1, rd, rs1, imm) }
func Lw(rd, rs1 int, imm int32) uint32  { return EncI(opLoad, 2, rd, rs1, imm) }
func Lbu(rd, rs1 int, imm int32) uint32 { return EncI(opLoad, 4, rd, rs1, imm) }
func Lhu(rd, rs1 int, imm int32) uint32 { return EncI(opLoad, 5, rd, rs1, imm) }

// Stores: mem[rs1 + imm] := rs2 (assembler order: sw rs2, imm(rs1)).
func Sb(rs2, rs1 int, imm int32) uint32 { return EncS(opStore, 0, rs1, rs2, imm) }
func Sh(rs2, rs1 int, imm int32) uint32 { return EncS(opStore, 1, rs1, rs2, imm) }
func Sw(rs2, rs1 int, imm int32) uint32 { return EncS(opStore, 2, rs1, rs2, imm) }

func Addi(rd, rs1 int, imm int32) uint32  { return EncI(opOpImm, 0, rd, rs1, imm) }
func Slti(rd, rs1 int, imm int32) uint32  { return EncI(opOpImm, 2, rd, rs1, imm) }
func Sltiu(rd, rs1 int, imm int32) uint32 { return EncI(opOpImm, 3, rd, rs1, imm) }
func Xori(rd, rs1 int, imm int32) uint32  { return EncI(opOpImm, 4, rd, rs1, imm) }
func Ori(rd, rs1 int, imm int32) uint32   { return EncI(opOpImm, 6, rd, rs1, imm) }
func Andi(rd, rs1 int, imm int32) uint32  { return EncI(opOpImm, 7, rd, rs1, imm) }
func Slli(rd, rs1 int, sh uint32) uint32  { return EncI(opOpImm, 1, rd, rs1, int32(sh&31)) }
func Srli(rd, rs1 int, sh uint32) uint32  { return EncI(opOpImm, 5, rd, rs1, int32(sh&31)) }
func Srai(rd, rs1 int, sh uint32) uint32  { return EncI(opOpImm, 5, rd, rs1, int32(sh&31|0x400)) }

func Add(rd, rs1, rs2 int) uint32  { return EncR(opOp, 0, 0, rd, rs1, rs2) }
func Sub(rd, rs1, rs2 int) uint32  { return EncR(opOp, 0, 0x20, rd, rs1, rs2) }
func Sll(rd, rs1, rs2 int) uint32  { return EncR(opOp, 1, 0, rd, rs1, rs2) }
func Slt(rd, rs1, rs2 int) uint32  { return EncR(opOp, 2, 0, rd, rs1, rs2) }
func Sltu(rd, rs1, rs2 int) uint32 { return EncR(opOp, 3, 0, rd, rs1, rs2) }
func Xor(rd, rs1, rs2 int) uint32  { return EncR(opOp, 4, 0, rd, rs1, rs2) }
func Srl(rd, rs1, rs2 int) uint32  { return EncR(opOp, 5, 0, rd, rs1, rs2) }
func Sra(rd, rs1, rs2 int) uint32  { return EncR(opOp, 5, 0x20, rd, rs1, rs2) }
func Or(rd, rs1, rs2 int) uint32   { return EncR(opOp, 6, 0, rd, rs1, rs2) }
func And(rd, rs1, rs2 int) uint32  { return EncR(opOp, 7, 0, rd, rs1, rs2) }

// Fence is FENCE iorw, iorw.
func Fence() uint32  { return 0x0FF0000F }
func Ecall() uint32  { return 0x00000073 }
func Ebreak() uint32 { return 0x00100073 }
func Nop() uint32    { return Addi(0, 0, 0) }

// Li loads the 32-bit constant v into rd: LUI then ADDI (ADDI alone when v fits 12 bits).
func Li(rd int, v uint32) []uint32 {
	if FitsI(int64(int32(v))) {
		return []uint32{Addi(rd, 0, int32(v))}
	}
	lo := int32(v<<20) >> 20 // the low 12 bits, signed: ADDI adds them sign-extended
	return []uint32{Lui(rd, (v-uint32(lo))>>12), Addi(rd, rd, lo)}
}
