package rv32

import "fmt"

var (
	branchNames = [8]string{"beq", "bne", "", "", "blt", "bge", "bltu", "bgeu"}
	loadNames   = [8]string{"lb", "lh", "lw", "", "lbu", "lhu", "", ""}
	storeNames  = [8]string{"sb", "sh", "sw", "", "", "", "", ""}
	opImmNames  = [8]string{"addi", "slli", "slti", "sltiu", "xori", "srli", "ori", "andi"}
	opNames     = [8]string{"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"}
)

// Disasm renders an instruction in assembler syntax with x-register names ("addi x1, x2, -5",
// "lw x3, 8(x4)", "beq x1, x2, .+16"); anything the model treats as illegal renders as
// "illegal 0x%08x". The decode is the model's own, so the text says what the model executed.
func Disasm(in uint32) string {
	d := decode(in)
	ill := fmt.Sprintf("illegal 0x%08x", in)
	switch d.opcode {
	case opLUI:
		return fmt.Sprintf("lui x%d, 0x%x", d.rd, d.immU>>12)
	case opAUIPC:
		return fmt.Sprintf("auipc x%d, 0x%x", d.rd, d.immU>>12)
	case opJAL:
		return fmt.Sprintf("jal x%d, %s", d.rd, rel(d.immJ))
	case opJALR:
		if d.f3 == 0 {
			return fmt.Sprintf("jalr x%d, %d(x%d)", d.rd, int32(d.immI), d.rs1)
		}
	case opBranch:
		if n := branchNames[d.f3]; n != "" {
			return fmt.Sprintf("%s x%d, x%d, %s", n, d.rs1, d.rs2, rel(d.immB))
		}
	case opLoad:
		if n := loadNames[d.f3]; n != "" {
			return fmt.Sprintf("%s x%d, %d(x%d)", n, d.rd, int32(d.immI), d.rs1)
		}
	case opStore:
		if n := storeNames[d.f3]; n != "" {
			return fmt.Sprintf("%s x%d, %d(x%d)", n, d.rs2, int32(d.immS), d.rs1)
		}
	case opOpImm:
		if _, ok := alu(d.f3, d.f7, 0, d.immI, true); !ok {
			return ill
		}
		switch d.f3 {
		case 1:
			return fmt.Sprintf("slli x%d, x%d, %d", d.rd, d.rs1, d.rs2)
		case 5:
			n := "srli"
			if d.f7 != 0 {
				n = "srai"
			}
			return fmt.Sprintf("%s x%d, x%d, %d", n, d.rd, d.rs1, d.rs2)
		}
		return fmt.Sprintf("%s x%d, x%d, %d", opImmNames[d.f3], d.rd, d.rs1, int32(d.immI))
	case opOp:
		if _, ok := alu(d.f3, d.f7, 0, 0, false); !ok {
			return ill
		}
		n := opNames[d.f3]
		switch {
		case d.f3 == 0 && d.f7 != 0:
			n = "sub"
		case d.f3 == 5 && d.f7 != 0:
			n = "sra"
		}
		return fmt.Sprintf("%s x%d, x%d, x%d", n, d.rd, d.rs1, d.rs2)
	case opFence:
		if d.f3 == 0 {
			return "fence"
		}
	case opSystem:
		switch in {
		case Ecall():
			return "ecall"
		case Ebreak():
			return "ebreak"
		}
	}
	return ill
}

// rel renders a pc-relative offset as the assembler's ".+n" / ".-n".
func rel(off uint32) string {
	if int32(off) < 0 {
		return fmt.Sprintf(".%d", int32(off))
	}
	return fmt.Sprintf(".+%d", off)
}
