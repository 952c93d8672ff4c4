//go:build linux

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"time"

	"github.com/linerate/linerate/hostdrv/netns"
)

// transferSeed seeds the pseudo-random bytes TCPTransfer sends: the same stream every run.
var transferSeed = [32]byte{'l', 'i', 'n', 'e', 'r', 'a', 't', 'e', ' ', 'e', '2', 'e'}

// TCPTransfer moves nbytes of pseudo-random data over one TCP connection from client to server
// and checks it arrived intact: a Go server listens on server.Addr in the server's namespace,
// the client dials it from client.Addr in the client's, sends the bytes and closes its sending
// side; the server answers with the byte count and SHA-256 of what it read, which must match
// what was sent. It returns the bytes confirmed and the time from dialing to the answer.
// Everything is bounded by ctx: when ctx is done both sockets are closed.
func TCPTransfer(ctx context.Context, client, server *Host, nbytes int) (int, time.Duration, error) {
	fail := func(err error) (int, time.Duration, error) {
		return 0, 0, fmt.Errorf("e2e: TCP %s -> %s: %w", client, server, err)
	}
	if nbytes < 0 {
		return fail(fmt.Errorf("%d bytes", nbytes))
	}
	// A listener keeps the namespace it was created in after the thread leaves it.
	var ln *net.TCPListener
	err := netns.Do(server.NS, func() error {
		var err error
		ln, err = net.ListenTCP("tcp4", net.TCPAddrFromAddrPort(netip.AddrPortFrom(server.Addr, 0)))
		return err
	})
	if err != nil {
		return fail(err)
	}
	defer ln.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = ln.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()

	served := make(chan error, 1)
	go func() { served <- serveOne(ctx, ln) }()

	start := time.Now()
	var conn net.Conn
	err = netns.Do(client.NS, func() error {
		d := net.Dialer{LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(client.Addr, 0))}
		var err error
		conn, err = d.DialContext(ctx, "tcp4", ln.Addr().String())
		return err
	})
	if err != nil {
		ln.Close()
		return fail(errors.Join(fmt.Errorf("dial: %w", err), <-served))
	}
	n, err := sendAndConfirm(ctx, conn.(*net.TCPConn), nbytes)
	elapsed := time.Since(start)
	if serr := <-served; err == nil && serr != nil {
		err = fmt.Errorf("server: %w", serr)
	}
	if err != nil {
		return fail(fmt.Errorf("after %d of %d bytes: %w", n, nbytes, err))
	}
	return n, elapsed, nil
}

// serveOne accepts one connection, reads it to EOF and answers with the byte count (8 bytes, big
// endian) and the SHA-256 of what it read.
func serveOne(ctx context.Context, ln *net.TCPListener) error {
	c, err := ln.AcceptTCP()
	if err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	defer c.Close()
	defer bindConn(ctx, c)()
	h := sha256.New()
	n, err := io.Copy(h, c)
	if err != nil {
		return fmt.Errorf("read after %d bytes: %w", n, err)
	}
	answer := binary.BigEndian.AppendUint64(nil, uint64(n))
	answer = h.Sum(answer)
	if _, err := c.Write(answer); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	return nil
}

// sendAndConfirm sends nbytes of the seeded stream on c, closes the sending side and checks the
// server's answer. It returns the bytes written.
func sendAndConfirm(ctx context.Context, c *net.TCPConn, nbytes int) (int, error) {
	defer c.Close()
	defer bindConn(ctx, c)()
	h := sha256.New()
	src := io.TeeReader(io.LimitReader(rand.NewChaCha8(transferSeed), int64(nbytes)), h)
	n, err := io.Copy(c, src)
	if err != nil {
		return int(n), fmt.Errorf("send: %w", err)
	}
	if err := c.CloseWrite(); err != nil {
		return int(n), fmt.Errorf("close write: %w", err)
	}
	answer := make([]byte, 8+sha256.Size)
	if _, err := io.ReadFull(c, answer); err != nil {
		return int(n), fmt.Errorf("read answer: %w", err)
	}
	got := binary.BigEndian.Uint64(answer)
	want := h.Sum(nil)
	if got != uint64(n) {
		return int(n), fmt.Errorf("server read %d bytes, %d sent", got, n)
	}
	if !bytes.Equal(answer[8:], want) {
		return int(n), fmt.Errorf("SHA-256 differs: server %x, sent %x", answer[8:], want)
	}
	return int(n), nil
}

// bindConn makes c end with ctx: its deadline, and closed when ctx is done. The returned
// function releases the binding.
func bindConn(ctx context.Context, c net.Conn) (release func() bool) {
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	}
	return context.AfterFunc(ctx, func() { c.Close() })
}
