//go:build linux

package linuxdiff

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/linerate/linerate/hostdrv/netns"
)

// htons converts a 16-bit value to network byte order (AF_PACKET protocol fields).
func htons(v uint16) uint16 { return v<<8 | v>>8 }

// packetSocket is an AF_PACKET raw socket bound to one interface of the peer namespace: it sends
// whole Ethernet frames (no FCS) and receives every frame the interface receives.
type packetSocket struct {
	fd      int
	ifindex int
	name    string
}

// openPacketSocket opens a non-blocking AF_PACKET socket bound to the interface ifname of the
// namespace ns. The socket keeps that namespace after the thread has left it.
func openPacketSocket(ns, ifname string) (*packetSocket, error) {
	s := &packetSocket{fd: -1, name: ifname}
	err := netns.Do(ns, func() error {
		ifi, err := net.InterfaceByName(ifname) // netlink, in this thread's namespace
		if err != nil {
			return err
		}
		// Protocol 0 receives nothing until bind sets ETH_P_ALL on this interface only.
		fd, err := syscall.Socket(syscall.AF_PACKET, syscall.SOCK_RAW|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("socket: %w", err)
		}
		s.fd, s.ifindex = fd, ifi.Index
		// A large receive buffer: a batch of jumbo frames must not overflow it.
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, 8<<20); err != nil {
			_ = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, 8<<20)
		}
		return syscall.Bind(fd, &syscall.SockaddrLinklayer{Protocol: htons(syscall.ETH_P_ALL), Ifindex: ifi.Index})
	})
	if err != nil {
		s.close()
		return nil, fmt.Errorf("linuxdiff: packet socket on %s in %s: %w", ifname, ns, err)
	}
	return s, nil
}

func (s *packetSocket) close() error {
	if s == nil || s.fd < 0 {
		return nil
	}
	err := syscall.Close(s.fd)
	s.fd = -1
	return err
}

// send transmits one frame out of the interface (into the router). A full queue is retried for
// a bounded time.
func (s *packetSocket) send(frame []byte) error {
	to := &syscall.SockaddrLinklayer{Protocol: htons(syscall.ETH_P_ALL), Ifindex: s.ifindex}
	deadline := time.Now().Add(time.Second)
	for {
		err := syscall.Sendto(s.fd, frame, 0, to)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.ENOBUFS) && !errors.Is(err, syscall.EINTR) {
			return fmt.Errorf("linuxdiff: send %d bytes on %s: %w", len(frame), s.name, err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("linuxdiff: send on %s: queue full for 1s: %w", s.name, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// recv returns the next frame the interface received, or nil when none is waiting. Frames the
// interface itself sent (PACKET_OUTGOING: what we injected) are skipped.
func (s *packetSocket) recv(buf []byte) ([]byte, error) {
	for {
		n, from, err := syscall.Recvfrom(s.fd, buf, syscall.MSG_DONTWAIT)
		switch {
		case errors.Is(err, syscall.EAGAIN):
			return nil, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil:
			return nil, fmt.Errorf("linuxdiff: receive on %s: %w", s.name, err)
		}
		if ll, ok := from.(*syscall.SockaddrLinklayer); ok && ll.Pkttype == syscall.PACKET_OUTGOING {
			continue
		}
		if n > len(buf) {
			n = len(buf)
		}
		return append([]byte(nil), buf[:n]...), nil
	}
}
