package transporttest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
)

func TestPipeContract(t *testing.T) {
	a, b := Pipe()
	defer b.Close()
	CheckConn(t, a, b)
}

func TestPipeContractOtherEnd(t *testing.T) {
	a, b := Pipe()
	defer a.Close()
	CheckConn(t, b, a)
}

// Both ends write a lot before either reads: a buffered pipe must not deadlock (net.Pipe would).
func TestPipeWritesDoNotWaitForReader(t *testing.T) {
	a, b := Pipe()
	defer a.Close()
	defer b.Close()
	chunk := bytes.Repeat([]byte("punt"), 1024)
	for i := 0; i < 256; i++ { // 1 MiB each way
		if _, err := a.Write(chunk); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []io.Reader{a, b} {
		got := make([]byte, 256*len(chunk))
		if _, err := io.ReadFull(r, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, bytes.Repeat(chunk, 256)) {
			t.Fatal("bytes differ")
		}
	}
}

func TestPipePeerClose(t *testing.T) {
	a, b := Pipe()
	if _, err := a.Write([]byte("last words")); err != nil {
		t.Fatal(err)
	}
	a.Close()
	got, err := io.ReadAll(b) // the buffered bytes, then io.EOF
	if err != nil || string(got) != "last words" {
		t.Fatalf("ReadAll after peer Close = %q, %v", got, err)
	}
	if _, err := b.Write([]byte{1}); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("Write to a closed peer: %v; want io.ErrClosedPipe", err)
	}
	if _, err := a.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Read of a closed end: %v; want net.ErrClosed", err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
