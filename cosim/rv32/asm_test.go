package rv32

import (
	"fmt"
	"strconv"
	"strings"
)

// assemble is the tests' one-line assembler for the syntax Disasm prints (x registers, ".+n"
// offsets, "imm(xN)" operands), built on the encoder, so that the encoder can be checked against
// an independent assembler's encodings of the same text.
func assemble(line string) (uint32, error) {
	mn, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	var ops []string
	if rest != "" {
		for _, o := range strings.Split(rest, ",") {
			ops = append(ops, strings.TrimSpace(o))
		}
	}
	bad := func(format string, a ...any) (uint32, error) {
		return 0, fmt.Errorf("%q: %s", line, fmt.Sprintf(format, a...))
	}
	regs := func(n int) ([]int, error) {
		if len(ops) < n {
			return nil, fmt.Errorf("%q: want %d operands", line, n)
		}
		out := make([]int, n)
		for i := range out {
			r, err := parseReg(ops[i])
			if err != nil {
				return nil, fmt.Errorf("%q: %w", line, err)
			}
			out[i] = r
		}
		return out, nil
	}
	// n registers, then a number
	regsNum := func(n int) ([]int, int64, error) {
		r, err := regs(n)
		if err != nil {
			return nil, 0, err
		}
		v, err := parseNum(ops[len(ops)-1])
		if err != nil {
			return nil, 0, fmt.Errorf("%q: %w", line, err)
		}
		return r, v, nil
	}

	rrr := map[string]func(int, int, int) uint32{"add": Add, "sub": Sub, "sll": Sll, "slt": Slt,
		"sltu": Sltu, "xor": Xor, "srl": Srl, "sra": Sra, "or": Or, "and": And}
	rri := map[string]func(int, int, int32) uint32{"addi": Addi, "slti": Slti, "sltiu": Sltiu,
		"xori": Xori, "ori": Ori, "andi": Andi}
	shi := map[string]func(int, int, uint32) uint32{"slli": Slli, "srli": Srli, "srai": Srai}
	br := map[string]func(int, int, int32) uint32{"beq": Beq, "bne": Bne, "blt": Blt, "bge": Bge,
		"bltu": Bltu, "bgeu": Bgeu}
	mem := map[string]func(int, int, int32) uint32{"lb": Lb, "lh": Lh, "lw": Lw, "lbu": Lbu,
		"lhu": Lhu, "sb": Sb, "sh": Sh, "sw": Sw, "jalr": Jalr}

	switch {
	case mn == "ecall" || mn == "ebreak" || mn == "fence":
		return map[string]uint32{"ecall": Ecall(), "ebreak": Ebreak(), "fence": Fence()}[mn], nil
	case rrr[mn] != nil:
		r, err := regs(3)
		if err != nil {
			return 0, err
		}
		return rrr[mn](r[0], r[1], r[2]), nil
	case rri[mn] != nil || shi[mn] != nil || br[mn] != nil:
		r, v, err := regsNum(2)
		if err != nil {
			return 0, err
		}
		switch {
		case rri[mn] != nil:
			return rri[mn](r[0], r[1], int32(v)), nil
		case shi[mn] != nil:
			return shi[mn](r[0], r[1], uint32(v)), nil
		}
		return br[mn](r[0], r[1], int32(v)), nil
	case mem[mn] != nil:
		r, err := regs(1)
		if err != nil || len(ops) != 2 {
			return bad("want rX, imm(rY)")
		}
		imm, base, ok := strings.Cut(strings.TrimSuffix(ops[1], ")"), "(")
		if !ok {
			return bad("want imm(rY)")
		}
		v, err := parseNum(imm)
		if err != nil {
			return bad("%v", err)
		}
		b, err := parseReg(base)
		if err != nil {
			return bad("%v", err)
		}
		return mem[mn](r[0], b, int32(v)), nil
	case mn == "lui" || mn == "auipc" || mn == "jal":
		r, v, err := regsNum(1)
		if err != nil {
			return 0, err
		}
		switch mn {
		case "lui":
			return Lui(r[0], uint32(v)), nil
		case "auipc":
			return Auipc(r[0], uint32(v)), nil
		}
		return Jal(r[0], int32(v)), nil
	}
	return bad("unknown mnemonic")
}

func parseReg(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "x"))
	if err != nil || !strings.HasPrefix(s, "x") || n < 0 || n > 31 {
		return 0, fmt.Errorf("bad register %q", s)
	}
	return n, nil
}

// parseNum reads decimal, 0x hex and the ".+n"/".-n" offsets.
func parseNum(s string) (int64, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "."), "+")
	return strconv.ParseInt(s, 0, 64)
}
