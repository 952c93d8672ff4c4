// Package transport opens the byte transports that carry the host link (ARCHITECTURE 3.4) to a
// board or a simulated board. A transport only moves bytes; the framing and the protocol above
// it live in hostdrv/link and hostdrv.
//
// Devices are named by URI (ARCHITECTURE 3.6) and opened through a small registry of schemes,
// the way periph.io opens buses by name:
//
//	serial:/dev/ttyUSB1              a UART: 8N1, raw, no flow control, Options.Baud (3 Mbaud)
//	serial:/dev/pts/3?baud=115200    the same with the baud rate in the URI (it wins over Options)
//	/dev/ttyUSB1, /dev/pts/4         a bare tty path is short for serial:PATH
//	sim:unix:/tmp/lr/board.sock      a simulated board's Unix stream socket
//	usb:0403:6010                    an FTDI FT2232H / FT232H / FT4232H by VID:PID, driven natively
//	usb:0403:6010:FT4ZX8KB           ... the one with this USB serial number
//	usb:0403:6010?iface=A            ... channel A (also iface=0); baud=N works here too
//
// A usb: device defaults to channel B (iface=1) when it has two or more channels, because on the
// iCEBreaker and the iCE40-HX8K breakout the FT2232H's channel A drives the SPI flash and channel
// B is the UART; a single-channel FT232H defaults to its only channel A. The kernel's ftdi_sio
// driver is detached from the claimed channel while it is open and reattached on Close.
//
// A simulated board exposes exactly the bytes of a real one on a PTY, so serial:/dev/pts/N
// reaches it with the same driver code as serial:/dev/ttyUSB1 reaches a real board.
//
// Every Conn is an io.ReadWriteCloser: Read blocks until bytes arrive and returns an error
// wrapping net.ErrClosed once Close is called (also one already blocked in Read), or one
// wrapping io.EOF when the device hangs up; Write writes all bytes or returns an error. A missing
// device is reported with an error wrapping ErrNoDevice, a malformed URI with ErrBadURI.
//
// The package transporttest holds an in-memory Pipe, a fault-injecting wrapper (Faulty) and a
// contract check (CheckConn) for tests of the layers above.
package transport
