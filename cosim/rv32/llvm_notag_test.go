//go:build !llvm

package rv32

// requireLLVM: without the llvm tag, the tests that run llvm-mc skip when it is missing.
const requireLLVM = false
