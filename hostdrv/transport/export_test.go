package transport

// NewFTDIConn lets the external tests run the FTDI logic over a fake device (transporttest
// imports this package, so the tests that use it live in package transport_test).
func NewFTDIConn(dev usbDev, name string, maxPacket int) Conn {
	return newFTDIConn(dev, name, maxPacket)
}
