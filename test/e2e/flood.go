//go:build linux

package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/linerate/linerate/hostdrv/netns"
)

// Flood sends small UDP datagrams with IP TTL ttl from host h to dst as fast as its socket
// takes them until ctx ends: with TTL 1 every one is a ttl_expired punt at the router. It
// returns nil when ctx ends.
func Flood(ctx context.Context, h *Host, dst netip.Addr, ttl int) error {
	var conn *net.UDPConn
	err := netns.Do(h.NS, func() error {
		c, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(dst, 33434)))
		if err != nil {
			return err
		}
		raw, err := c.SyscallConn()
		if err != nil {
			c.Close()
			return err
		}
		var serr error
		if err := raw.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_TTL, ttl)
		}); err != nil || serr != nil {
			c.Close()
			return errors.Join(err, serr)
		}
		conn = c
		return nil
	})
	if err != nil {
		return fmt.Errorf("e2e: flood from %s: %w", h, err)
	}
	defer conn.Close()
	payload := make([]byte, 18)
	for n := 0; ctx.Err() == nil; n++ {
		if _, err := conn.Write(payload); err != nil {
			// ECONNREFUSED (an ICMP error came back) and ENOBUFS (the queue is full) are the
			// flood working; pause a little and go on
			time.Sleep(100 * time.Microsecond)
		}
		if n%64 == 63 {
			time.Sleep(time.Millisecond)
		}
	}
	return nil
}
