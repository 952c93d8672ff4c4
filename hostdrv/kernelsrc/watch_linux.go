//go:build linux

package kernelsrc

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/linerate/linerate/hostdrv/netns"
)

const (
	recvBufSize  = 1 << 16         // bytes read at once; larger than any rtnetlink datagram
	sockBufSize  = 4 << 20         // receive buffer asked for the event socket
	dumpTimeout  = 5 * time.Second // bound on one dump (the kernel answers at once)
	dumpAttempts = 5               // dumps interrupted by changes are tried again
	retryDelay   = 1 * time.Second // before dumping again after a failed dump
	errBuffer    = 16              // errors kept while the caller does not read them
	maxDelayMult = 10              // a snapshot waits at most this many debounce intervals
)

// errDumpInterrupted says that the kernel's state changed during a dump (NLM_F_DUMP_INTR).
var errDumpInterrupted = errors.New("kernelsrc: dump interrupted by a change")

// conn is a non-blocking NETLINK_ROUTE socket served by the Go poller, so reads can be
// interrupted by Close and bounded by deadlines.
type conn struct {
	f   *os.File
	rc  syscall.RawConn
	seq uint32
}

// openConn opens a NETLINK_ROUTE socket in the calling thread's network namespace, subscribed
// to groups (0: none).
func openConn(groups uint32) (*conn, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("kernelsrc: netlink socket: %w", err)
	}
	if groups != 0 {
		// A large buffer makes overruns (ENOBUFS) rare; FORCE works as root only.
		if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, sockBufSize) != nil {
			_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, sockBufSize)
		}
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("kernelsrc: bind netlink socket: %w", err)
	}
	f := os.NewFile(uintptr(fd), "rtnetlink")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("kernelsrc: %w", err)
	}
	return &conn{f: f, rc: rc}, nil
}

func (c *conn) Close() error { return c.f.Close() }

// recv reads one datagram from the kernel into a new buffer and splits it into messages.
func (c *conn) recv() ([]message, error) {
	buf := make([]byte, recvBufSize)
	for {
		var (
			n, flags int
			from     unix.Sockaddr
			rerr     error
		)
		err := c.rc.Read(func(fd uintptr) bool {
			n, _, flags, from, rerr = unix.Recvmsg(int(fd), buf, nil, 0)
			return rerr != unix.EAGAIN
		})
		if err != nil {
			return nil, err
		}
		if rerr != nil {
			return nil, os.NewSyscallError("recvmsg", rerr)
		}
		if sa, ok := from.(*unix.SockaddrNetlink); !ok || sa.Pid != 0 {
			continue // not from the kernel
		}
		if flags&unix.MSG_TRUNC != 0 {
			return nil, errors.New("kernelsrc: netlink message truncated")
		}
		return parseMessages(buf[:n:n])
	}
}

// send sends one request to the kernel.
func (c *conn) send(b []byte) error {
	var serr error
	err := c.rc.Write(func(fd uintptr) bool {
		serr = unix.Sendto(int(fd), b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
		return serr != unix.EAGAIN
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return os.NewSyscallError("sendto", serr)
	}
	return nil
}

// dump sends a dump request of type typ with the given fixed header (ifinfomsg, rtmsg, ...)
// and passes each reply to fn.
func (c *conn) dump(typ uint16, hdr []byte, fn func(message) error) error {
	c.seq++
	req := make([]byte, unix.SizeofNlMsghdr+len(hdr))
	binary.NativeEndian.PutUint32(req[0:4], uint32(len(req)))
	binary.NativeEndian.PutUint16(req[4:6], typ)
	binary.NativeEndian.PutUint16(req[6:8], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	binary.NativeEndian.PutUint32(req[8:12], c.seq)
	copy(req[unix.SizeofNlMsghdr:], hdr)
	if err := c.f.SetReadDeadline(time.Now().Add(dumpTimeout)); err != nil {
		return fmt.Errorf("kernelsrc: %w", err)
	}
	if err := c.send(req); err != nil {
		return fmt.Errorf("kernelsrc: dump request: %w", err)
	}
	intr := false
	for {
		ms, err := c.recv()
		if err != nil {
			return fmt.Errorf("kernelsrc: dump: %w", err)
		}
		for _, m := range ms {
			if m.Header.Seq != c.seq {
				continue // a reply to an earlier, abandoned dump
			}
			if m.Header.Flags&unix.NLM_F_DUMP_INTR != 0 {
				intr = true
			}
			switch m.Header.Type {
			case unix.NLMSG_DONE, unix.NLMSG_ERROR:
				if len(m.Data) >= 4 {
					if e := int32(binary.NativeEndian.Uint32(m.Data[0:4])); e < 0 {
						return fmt.Errorf("kernelsrc: dump: %w", unix.Errno(-e))
					}
				}
				if intr {
					return errDumpInterrupted
				}
				return nil
			}
			if err := fn(m); err != nil {
				return err
			}
		}
	}
}

// load dumps links, IPv4 routes and IPv4 neighbours into a new state, trying again when a
// change interrupts a dump.
func load(c *conn) (*state, error) {
	var err error
	for range dumpAttempts {
		s := newState()
		apply := func(m message) error { _, _, err := s.apply(m); return err }
		if err = c.dump(unix.RTM_GETLINK, make([]byte, unix.SizeofIfInfomsg), apply); err != nil {
			if errors.Is(err, errDumpInterrupted) {
				continue
			}
			return nil, err
		}
		rt := make([]byte, unix.SizeofRtMsg)
		rt[0] = unix.AF_INET
		if err = c.dump(unix.RTM_GETROUTE, rt, apply); err != nil {
			if errors.Is(err, errDumpInterrupted) {
				continue
			}
			return nil, err
		}
		nd := make([]byte, unix.SizeofNdMsg)
		nd[0] = unix.AF_INET
		if err = c.dump(unix.RTM_GETNEIGH, nd, apply); err != nil {
			if errors.Is(err, errDumpInterrupted) {
				continue
			}
			return nil, err
		}
		return s, nil
	}
	return nil, err
}

// Watch opens a NETLINK_ROUTE socket (in the namespace), subscribes to RTMGRP_IPV4_ROUTE,
// RTMGRP_NEIGH and RTMGRP_LINK, dumps links, IPv4 routes (main table) and neighbours, and sends
// the first Snapshot, then one after each burst of changes, until ctx ends (then closes the
// channel). Errors after start are sent on the error channel (e.g. ENOBUFS overrun → re-dump
// and continue).
//
// A burst ends when no change has come for opt.Debounce, or at the latest ten debounce
// intervals after its first change. A snapshot equal to the previous one is not sent. The
// snapshot channel holds the latest snapshot only: one the caller has not taken yet is
// replaced by a newer one. Interface events (a port going down or away flushes its routes
// without notifications) make Watch dump everything again. The error channel is buffered and
// errors are dropped while it is full; a failed re-dump is tried again after a second. Both
// channels are closed when ctx ends or when reading the socket fails for good (after that
// error is sent).
func Watch(ctx context.Context, opt Options) (<-chan Snapshot, <-chan error, error) {
	if opt.Debounce <= 0 {
		opt.Debounce = DefaultDebounce
	}
	var ev, dc *conn
	open := func() (err error) {
		if ev, err = openConn(unix.RTMGRP_IPV4_ROUTE | unix.RTMGRP_NEIGH | unix.RTMGRP_LINK); err != nil {
			return err
		}
		if dc, err = openConn(0); err != nil {
			ev.Close()
		}
		return err
	}
	var err error
	if opt.Namespace == "" {
		err = open()
	} else {
		err = netns.Do(opt.Namespace, open)
	}
	if err != nil {
		return nil, nil, err
	}
	// Subscribed before the dump: a change made during the dump is read afterwards as an
	// event, and replaying events in order converges to the kernel's state.
	st, err := load(dc)
	if err != nil {
		ev.Close()
		dc.Close()
		return nil, nil, err
	}
	w := &watcher{opt: opt, ev: ev, dc: dc, st: st, out: make(chan Snapshot), errs: make(chan error, errBuffer)}
	go w.run(ctx)
	return w.out, w.errs, nil
}

// watcher is the state of one Watch.
type watcher struct {
	opt    Options
	ev, dc *conn
	st     *state
	out    chan Snapshot
	errs   chan error
}

// readResult is what the reader goroutine passes on: messages, or an error.
type readResult struct {
	ms  []message
	err error
}

// report sends err unless the error channel is full.
func (w *watcher) report(err error) {
	select {
	case w.errs <- err:
	default:
	}
}

// read reads events until done is closed (run closes it before it closes the socket, which
// ends a pending read) or the socket fails for good.
func (w *watcher) read(done <-chan struct{}, results chan<- readResult) {
	for {
		ms, err := w.ev.recv()
		select {
		case results <- readResult{ms, err}:
		case <-done:
			return
		}
		if err != nil && !errors.Is(err, unix.ENOBUFS) {
			return
		}
	}
}

func (w *watcher) run(ctx context.Context) {
	done := make(chan struct{})
	results := make(chan readResult)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); w.read(done, results) }()
	defer func() {
		close(done)
		w.ev.Close()
		wg.Wait()
		w.dc.Close()
		close(w.out)
		close(w.errs)
	}()

	latest := w.st.snapshot() // the last snapshot made, sent or not
	pending := true
	resync := false
	var first time.Time // the first change not in latest; zero if none
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	changed := func() {
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		d := min(w.opt.Debounce, first.Add(maxDelayMult*w.opt.Debounce).Sub(now))
		timer.Reset(max(d, 0))
	}
	for {
		var out chan<- Snapshot
		if pending {
			out = w.out
		}
		select {
		case <-ctx.Done():
			return
		case out <- latest:
			pending = false
		case r := <-results:
			if r.err != nil {
				if errors.Is(r.err, unix.ENOBUFS) {
					w.report(fmt.Errorf("kernelsrc: events lost, dumping again: %w", r.err))
					resync = true
					changed()
					continue
				}
				w.report(fmt.Errorf("kernelsrc: reading events: %w", r.err))
				return
			}
			for _, m := range r.ms {
				c, link, err := w.st.apply(m)
				if err != nil {
					w.report(err)
				}
				resync = resync || link
				if c {
					changed()
				}
			}
		case <-timer.C:
			if resync {
				st, err := load(w.dc)
				if err != nil {
					w.report(fmt.Errorf("kernelsrc: dumping again: %w", err))
					timer.Reset(retryDelay)
					continue
				}
				w.st, resync = st, false
			}
			first = time.Time{}
			if s := w.st.snapshot(); !reflect.DeepEqual(s, latest) {
				latest, pending = s, true
			}
		}
	}
}
