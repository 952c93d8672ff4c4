//go:build llvm

package rv32

// requireLLVM: built with the llvm tag, the tests that run llvm-mc fail when it is missing.
const requireLLVM = true
