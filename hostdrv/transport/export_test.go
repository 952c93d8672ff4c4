package transport

import "github.com/linerate/linerate/hostdrv/ftdi"

// NewFTDIConn lets the external tests run the FTDI logic over a fake device (transporttest
// imports this package, so the tests that use it live in package transport_test).
func NewFTDIConn(dev ftdi.Channel, name string, maxPacket int) Conn {
	return newFTDIConn(dev, name, maxPacket)
}
