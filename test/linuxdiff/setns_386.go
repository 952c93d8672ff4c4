//go:build linux

package linuxdiff

// sysSetns is setns(2): the syscall package of linux/386 lacks SYS_SETNS.
const sysSetns = 346
