// lr_board_colorlight: Colorlight 5A-75B v8.0 (LFE5U-25F): pins, PLL and reset around lr_router.
`default_nettype none

// The host link is a 3.3 V USB-UART cable on header J19, as in LiteX's port: its KEY+ pin is an
// FPGA input on a stock board, while every HUB75 connector pin goes through a 74HC245 that drives
// outward only (a HUB75 pin works as an input only with its buffer bypassed). The cable's TXD to
// KEY+ (the user button's line, R7), its RXD to DATA_LED- (the user LED's line, T6): the LED
// flickers with the router's answers, and the button must not be pressed while the cable is
// attached (it pulls RX low). 3 Mbaud at 16 clocks per bit of the 48 MHz core clock (the PLL's
// CLKOS; 48 MHz is out of reach of CLKOP alone). The two RGMII PHYs are not used yet: both packet
// ports travel over the link, and the host bridges each to a TAP device or a pcap. With the
// button taken by RX there is no reset button: the router leaves reset when the PLL locks. IDLE
// and RUN show the state on HUB75 connector J1 (5 V, through its buffer).
// Parameters: boards/colorlight/board.json sets every one (linerate build, the simulated board).
module lr_board_colorlight #(
    parameter N_PORTS          = 2,         // packet ports, all carried over the host link
    parameter DATA_WIDTH       = 8,         // stream width
    parameter LPM_BRAM         = 1,         // block-RAM TCAM
    parameter COUNTERS_RAM     = 1,         // counters in block RAM
    parameter RES_DEPTH        = 2,         // results queued per port (lookup credits), a power of two >= 2
    parameter LPM_ENTRIES      = 128,       // LPM (TCAM) entries
    parameter ADJ_ENTRIES      = 64,        // adjacency rows
    parameter RADDR_ENTRIES    = 8,         // router addresses
    parameter MAX_FRAME_BYTES  = 1536,      // longest frame
    parameter RX_FIFO_DEPTH    = 2048,      // ingress frame FIFO beats per port
    parameter CLK_HZ           = 48000000,  // core clock (the PLL output)
    parameter UART_DIV         = 16,        // clocks per UART bit
    parameter RX_BUF_BYTES     = 4096,      // longest request frame
    parameter RESP_BUF_BYTES   = 1024,      // longest answer payload
    parameter PUNT_FIFO_BYTES  = 4096,      // punt FIFO bytes
    parameter PORT_FIFO_BYTES  = 4096,      // bytes of each port's FIFO toward the host
    parameter BUILD_ID         = 0,         // build identity
    parameter BUILD_DATE       = 0,         // build date, decimal YYYYMMDD
    parameter PLL_CLKI_DIV     = 5,         // PLL (lr_pll_ecp5, ecppll -i 25 -o 48 --highres):
    parameter PLL_CLKFB_DIV    = 2,         //   CLKOP = 25 MHz * CLKFB_DIV / CLKI_DIV,
    parameter PLL_CLKOP_DIV    = 48,        //   VCO = CLKOP * CLKOP_DIV,
    parameter PLL_CLKOP_CPHASE = 9,         //   CLKOP phase (ecppll),
    parameter PLL_CLKOS_DIV    = 10,        //   CLK_HZ = VCO / CLKOS_DIV (0: CLK_HZ = CLKOP)
    parameter PLL_CLKOS_CPHASE = 0          //   CLKOS phase (ecppll)
) (
    input  wire CLK,        // 25 MHz from PHY U13's oscillator (pin P6)
    input  wire RX,         // host link: J19 KEY+, the cable's TXD (pin R7)
    output wire TX,         // host link: J19 DATA_LED-, the cable's RXD; the LED (pin T6)
    output wire IDLE,       // J1 pin 1 (R0), high: nothing in flight (pin C4)
    output wire RUN,        // J1 pin 2 (G0), high: running (out of reset) (pin D4)
    output wire PHY_RST_N   // both PHYs' reset, held high: U13 makes CLK (pin R6)
);

    // ---------------------------------------------------------------- clock and reset
    wire clk, locked, rst;

    lr_pll_ecp5 #(
        .CLKI_DIV     (PLL_CLKI_DIV),
        .CLKFB_DIV    (PLL_CLKFB_DIV),
        .CLKOP_DIV    (PLL_CLKOP_DIV),
        .CLKOP_CPHASE (PLL_CLKOP_CPHASE),
        .CLKOS_DIV    (PLL_CLKOS_DIV),
        .CLKOS_CPHASE (PLL_CLKOS_CPHASE)
    ) u_pll (
        .clk_in (CLK),
        .clk    (clk),
        .locked (locked)
    );

    lr_reset_sync #(
        .HOLD (16)
    ) u_reset (
        .clk  (clk),
        .arst (!locked),
        .rst  (rst)
    );

    // ---------------------------------------------------------------- the router
    // every packet port travels over the host link (PORT_TX out, INJECT into the pipeline in)
    wire idle;

    lr_router_link #(
        .N_PORTS         (N_PORTS),
        .DATA_WIDTH      (DATA_WIDTH),
        .LPM_BRAM        (LPM_BRAM),
        .COUNTERS_RAM    (COUNTERS_RAM),
        .RES_DEPTH       (RES_DEPTH),
        .LPM_ENTRIES     (LPM_ENTRIES),
        .ADJ_ENTRIES     (ADJ_ENTRIES),
        .RADDR_ENTRIES   (RADDR_ENTRIES),
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .RX_FIFO_DEPTH   (RX_FIFO_DEPTH),
        .CLK_HZ          (CLK_HZ),
        .UART_DIV        (UART_DIV),
        .RX_BUF_BYTES    (RX_BUF_BYTES),
        .RESP_BUF_BYTES  (RESP_BUF_BYTES),
        .PUNT_FIFO_BYTES (PUNT_FIFO_BYTES),
        .PORT_FIFO_BYTES (PORT_FIFO_BYTES),
        .BUILD_ID        (BUILD_ID),
        .BUILD_DATE      (BUILD_DATE)
    ) u_router (
        .clk       (clk),
        .rst       (rst),
        .uart_rx   (RX),
        .uart_tx   (TX),
        .stat_idle (idle)
    );

    // ---------------------------------------------------------------- status pins
    assign IDLE      = idle;
    assign RUN       = !rst;
    assign PHY_RST_N = 1'b1;

endmodule

`default_nettype wire
