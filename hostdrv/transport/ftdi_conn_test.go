package transport_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/linerate/linerate/hostdrv/transport"
	"github.com/linerate/linerate/hostdrv/transport/transporttest"
)

// pipeUSB is a fake FTDI channel whose far side is a board's end of a Pipe: OUT transfers go
// to the board as they are; IN transfers carry the board's bytes in packets of at most
// maxPacket, each behind two status bytes, and an idle chip sends a status-only packet every
// latency period (1 ms).
type pipeUSB struct {
	host      transport.Conn
	maxPacket int
	chunks    chan []byte
	left      []byte
}

func newPipeUSB(host transport.Conn, maxPacket int) *pipeUSB {
	u := &pipeUSB{host: host, maxPacket: maxPacket, chunks: make(chan []byte)}
	go func() {
		defer close(u.chunks)
		for {
			b := make([]byte, 3000)
			n, err := host.Read(b)
			if err != nil {
				return
			}
			u.chunks <- b[:n]
		}
	}()
	return u
}

func (u *pipeUSB) Control(uint8, uint8, uint16, uint16, []byte) (int, error) { return 0, nil }

func (u *pipeUSB) ReadBulk(ctx context.Context, p []byte) (int, error) {
	if len(u.left) == 0 {
		select {
		case c, ok := <-u.chunks:
			if !ok {
				return 0, fmt.Errorf("fake: device unplugged: %w", io.EOF)
			}
			u.left = c
		case <-time.After(time.Millisecond):
			return copy(p, []byte{0x31, 0x60}), nil // latency timer: status only
		case <-ctx.Done():
			return 0, fmt.Errorf("fake: transfer cancelled: %w", ctx.Err())
		}
	}
	n := 0
	for len(u.left) > 0 && n+2 < len(p) {
		k := min(len(u.left), u.maxPacket-2, len(p)-n-2)
		n += copy(p[n:], []byte{0x31, 0x60})
		n += copy(p[n:], u.left[:k])
		u.left = u.left[k:]
		if k < u.maxPacket-2 {
			break // a short packet ends the transfer
		}
	}
	return n, nil
}

func (u *pipeUSB) WriteBulk(ctx context.Context, p []byte) (int, error) { return u.host.Write(p) }

func (u *pipeUSB) Close() error { return u.host.Close() }

// The FTDI logic meets the Conn contract over a fake chip, at high and full speed.
func TestFTDIContract(t *testing.T) {
	for _, mp := range []int{512, 64} {
		t.Run(fmt.Sprint("maxPacket=", mp), func(t *testing.T) {
			host, board := transporttest.Pipe()
			defer board.Close()
			c := transport.NewFTDIConn(newPipeUSB(host, mp), "usb:fake", mp)
			transporttest.CheckConn(t, c, board)
		})
	}
}
