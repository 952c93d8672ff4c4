// Package tap opens Linux TAP interfaces: a port of the simulated board (cosim/simboard) or a
// board's port carried over the host link (hostdrv/bridge) becomes a network interface, so a
// network namespace can act as a host on it.
package tap

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Open creates (or attaches to) the TAP interface name: each Read returns one Ethernet frame
// and each Write sends one, without FCS and without a packet-information header. Needs root or
// CAP_NET_ADMIN. Closing the file wakes a pending Read.
func Open(name string) (*os.File, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("tap %s: open /dev/net/tun: %w", name, err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("tap %s: %w", name, err)
	}
	ifr.SetUint16(unix.IFF_TAP | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("tap %s: TUNSETIFF: %w (needs root or CAP_NET_ADMIN)", name, err)
	}
	// non-blocking, so the runtime poller serves it and Close wakes a pending Read
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), "tap:"+name), nil
}
