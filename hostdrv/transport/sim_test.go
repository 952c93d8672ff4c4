package transport_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/linerate/linerate/hostdrv/transport"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
)

// shortDir returns a temporary directory with a short path: Unix socket paths are limited to
// about 100 bytes, and t.TempDir's can be longer.
func shortDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "lr")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func TestSimUnix(t *testing.T) {
	sock := filepath.Join(shortDir(t), "board.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	c, err := transport.Open(context.Background(), "sim:unix:"+sock, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	board, ok := <-accepted
	if !ok {
		t.Fatal("accept failed")
	}
	defer board.Close()
	transporttest.CheckConn(t, c, board)

	// The board going away is io.EOF at the host.
	go func() { c2, _ := ln.Accept(); c2.Close() }()
	c2, err := transport.Open(context.Background(), "sim:unix:"+sock, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("Read after the board hung up: %v; want io.EOF", err)
	}
}

// A socket file nobody listens on (a crashed simulator) is a missing device too.
func TestSimStaleSocket(t *testing.T) {
	sock := filepath.Join(shortDir(t), "stale.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(sock); err != nil {
		t.Fatal(err)
	}
	if _, err := transport.Open(context.Background(), "sim:unix:"+sock, transport.Options{}); !errors.Is(err, transport.ErrNoDevice) {
		t.Fatalf("stale socket: %v; want ErrNoDevice", err)
	}
}
