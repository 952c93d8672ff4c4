// lr_board_icebreaker: iCEBreaker v1.0 (iCE40UP5K-SG48): pins, PLL and reset around lr_router.
`default_nettype none

// The host link is the FT2232H's second channel (the first programs the flash): 3 Mbaud at
// 8 clocks per bit of the 24 MHz core clock. There is no Ethernet: both packet ports travel over
// the link, and the host bridges each to a TAP device or a pcap (linerate sim --tap, router).
// Parameters: boards/icebreaker/board.json sets every one (linerate build, the simulated board).
module lr_board_icebreaker #(
    parameter N_PORTS         = 2,         // packet ports, all carried over the host link
    parameter SERIAL_CORE     = 1,         // 1: lr_core_serial, one frame at a time (rtl/serial); 0: lr_core
    parameter DATA_WIDTH      = 8,         // stream width
    parameter LPM_BRAM        = 1,         // block-RAM TCAM
    parameter COUNTERS_RAM    = 1,         // counters in block RAM
    parameter RES_DEPTH       = 8,         // results queued per port (lookup credits), a power of two >= 2
    parameter LPM_ENTRIES     = 32,        // LPM (TCAM) entries
    parameter ADJ_ENTRIES     = 16,        // adjacency rows
    parameter RADDR_ENTRIES   = 4,         // router addresses
    parameter MAX_FRAME_BYTES = 1536,      // longest frame
    parameter RX_FIFO_DEPTH   = 2048,      // ingress frame FIFO beats per port
    parameter CLK_HZ          = 24000000,  // core clock (the PLL output)
    parameter UART_DIV        = 8,         // clocks per UART bit
    parameter RX_BUF_BYTES    = 2044,      // longest request frame (512 words of buffer: 4 block RAMs)
    parameter RESP_BUF_BYTES  = 512,       // longest answer payload
    parameter PUNT_FIFO_BYTES = 16384,     // the link's frame FIFO bytes (one SPRAM)
    parameter PORT_FIFO_BYTES = 2048,      // (unused with SHARED_FIFO)
    parameter SHARED_FIFO     = 1,         // 1: punts and port frames share the link's FIFO
    parameter BUILD_ID        = 0,         // build identity
    parameter BUILD_DATE      = 0,         // build date, decimal YYYYMMDD
    parameter PLL_DIVR        = 0,         // PLL: CLK_HZ = 12 MHz * (DIVF+1) / (2^DIVQ * (DIVR+1))
    parameter PLL_DIVF        = 63,
    parameter PLL_DIVQ        = 5,
    parameter PLL_FILTER      = 1          // PLL loop filter range (icepll)
) (
    input  wire CLK,        // 12 MHz oscillator (pin 35, the PLL's pad)
    input  wire RX,         // host link: FT2232H channel B TXD (pin 6)
    output wire TX,         // host link: FT2232H channel B RXD (pin 9)
    input  wire BTN_N,      // user button, low when pressed: resets the router (pin 10)
    output wire LEDR_N,     // red LED, low = lit: traffic inside the router (pin 11)
    output wire LEDG_N      // green LED, low = lit: running (out of reset) (pin 37)
);

    // ---------------------------------------------------------------- clock and reset
    wire clk, locked, rst;

    lr_pll_ice40 #(
        .PAD          (1),
        .DIVR         (PLL_DIVR),
        .DIVF         (PLL_DIVF),
        .DIVQ         (PLL_DIVQ),
        .FILTER_RANGE (PLL_FILTER)
    ) u_pll (
        .clk_in (CLK),
        .clk    (clk),
        .locked (locked)
    );

    lr_reset_sync #(
        .HOLD (16)
    ) u_reset (
        .clk  (clk),
        .arst (!locked || !BTN_N),
        .rst  (rst)
    );

    // ---------------------------------------------------------------- the router
    // every packet port travels over the host link (PORT_TX out, INJECT into the pipeline in)
    wire idle;

    lr_router_link #(
        .N_PORTS         (N_PORTS),
        .SERIAL_CORE     (SERIAL_CORE),
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
        .SHARED_FIFO     (SHARED_FIFO),
        .BUILD_ID        (BUILD_ID),
        .BUILD_DATE      (BUILD_DATE)
    ) u_router (
        .clk       (clk),
        .rst       (rst),
        .uart_rx   (RX),
        .uart_tx   (TX),
        .stat_idle (idle)
    );

    // ---------------------------------------------------------------- LEDs
    assign LEDR_N = idle;
    assign LEDG_N = rst;

endmodule

`default_nettype wire
