// Package flash programs the iCE40 boards (iCEBreaker iCE40UP5K, Lattice iCE40-HX8K breakout)
// through the FTDI FT2232H on the board, natively over USB, with no hardware-specific tools:
// the FPGA's configuration flash (the FPGA boots from it at every power-up), or the FPGA's
// configuration SRAM directly (lost at power-off, as iceprog -S does).
//
// Channel A of the FT2232H (USB interface 0) runs in MPSSE mode and is wired, as iceprog
// expects, to the SPI flash and the FPGA's SPI configuration port:
//
//	ADBUS0  SCK        out   SPI clock (mode 0: idles low)
//	ADBUS1  MOSI       out   to the flash's SI (and, in SRAM mode, the FPGA's SPI_SI)
//	ADBUS2  MISO       in    from the flash's SO
//	ADBUS4  CS         out   flash chip select, also the FPGA's SPI_SS_B
//	ADBUS6  CDONE      in    high once the FPGA is configured
//	ADBUS7  CRESET_B   out   low holds the FPGA in reset and off the SPI bus
//
// Channel B is the UART of the host link (package transport); the two are independent.
//
// The layers: channel A's bulk endpoints and control requests (USB, package ftdi's Channel;
// Open claims it through libusb when built with cgo), the MPSSE command stream over it
// (mpsse.go), SPI NOR flash commands (spiflash.go), and the iCE40 sequences (ice40.go). The
// fake in package flashtest decodes the MPSSE stream and simulates the pins, a flash chip and
// an iCE40, so everything above the USB interface is tested without a board.
//
// OpenFPGALoader runs the openFPGALoader tool instead, for boards or cables this package does
// not drive (such as the Colorlight 5A-75B's JTAG).
//
// SRAM mode needs the board wired for it: the FT2232H's MOSI must reach the FPGA's SPI_SI. On
// the iCE40-HX8K breakout that is a jumper setting (see the board's user guide); iCEBreaker
// boards need their SPI solder jumpers changed.
package flash
