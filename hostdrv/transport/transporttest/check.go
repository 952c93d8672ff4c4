package transporttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/linerate/linerate/hostdrv/transport"
)

// CheckConn checks the transport.Conn contract on c, whose other end is peer (the device's
// side: a PTY master, the accepted socket, the other end of a Pipe). It exchanges bytes both
// ways: zero bytes, every byte value, and 64 KiB in one Write each way at the same time; then
// it closes c during a blocked Read, which must return an error wrapping net.ErrClosed, as must
// Read and Write after Close. c is closed when CheckConn returns; peer is not.
func CheckConn(t testing.TB, c transport.Conn, peer io.ReadWriter) {
	t.Helper()
	defer c.Close() // also unblocks a stuck step after a failure

	within(t, 5*time.Second, "zero-length Write and Read", func() error {
		if n, err := c.Write(nil); n != 0 || err != nil {
			return fmt.Errorf("Write(nil) = %d, %v; want 0, nil", n, err)
		}
		if n, err := c.Read([]byte{}); n != 0 || err != nil {
			return fmt.Errorf("Read(empty) = %d, %v; want 0, nil without blocking", n, err)
		}
		return nil
	})

	every := make([]byte, 512) // every byte value, twice: raw mode passes XON, ^C, CR, 0x00 ...
	for i := range every {
		every[i] = byte(i)
	}
	exchange(t, "every byte value", c, peer, every, every)

	rng := rand.New(rand.NewPCG(1, 2))
	big1, big2 := make([]byte, 64<<10), make([]byte, 64<<10)
	for i := range big1 {
		big1[i], big2[i] = byte(rng.Uint32()), byte(rng.Uint32())
	}
	exchange(t, "64 KiB each way", c, peer, big1, big2)

	errc := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 64))
		errc <- err
	}()
	// Give the Read time to block; if Close wins the race, Read must fail the same way.
	time.Sleep(50 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Read blocked during Close returned %v; want an error wrapping net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("Close did not unblock a Read in 5 s")
	}
	within(t, 5*time.Second, "Read and Write after Close", func() error {
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
			return fmt.Errorf("Read after Close: %v; want an error wrapping net.ErrClosed", err)
		}
		if _, err := c.Write([]byte{1}); err == nil {
			return errors.New("Write after Close succeeded")
		}
		return nil
	})
}

// exchange sends out from c to peer and in from peer to c at the same time, each in one Write.
func exchange(t testing.TB, what string, c transport.Conn, peer io.ReadWriter, out, in []byte) {
	t.Helper()
	errc := make(chan error, 4)
	send := func(dir string, w io.Writer, b []byte) {
		n, err := w.Write(b)
		if err == nil && n != len(b) {
			err = fmt.Errorf("wrote %d of %d bytes without an error", n, len(b))
		}
		if err != nil {
			err = fmt.Errorf("%s: Write: %w", dir, err)
		}
		errc <- err
	}
	recv := func(dir string, r io.Reader, want []byte) {
		got := make([]byte, len(want))
		_, err := io.ReadFull(r, got)
		if err != nil {
			err = fmt.Errorf("%s: Read: %w", dir, err)
		} else if !bytes.Equal(got, want) {
			i := 0
			for got[i] == want[i] {
				i++
			}
			err = fmt.Errorf("%s: byte %d is 0x%02x, want 0x%02x", dir, i, got[i], want[i])
		}
		errc <- err
	}
	go send("host to device", c, out)
	go recv("host to device", peer, out)
	go send("device to host", peer, in)
	go recv("device to host", c, in)
	deadline := time.After(20 * time.Second)
	for range 4 {
		select {
		case err := <-errc:
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case <-deadline:
			t.Fatalf("%s: no progress in 20 s", what)
		}
	}
}

func within(t testing.TB, d time.Duration, what string, f func() error) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- f() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(d):
		t.Fatalf("%s: blocked for %v", what, d)
	}
}
