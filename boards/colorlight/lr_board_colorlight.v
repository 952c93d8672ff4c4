// lr_board_colorlight: Colorlight 5A-75B v8.0 (LFE5U-25F): pins, PLLs, reset and the two RGMII PHYs around lr_router.
`default_nettype none

// Packet ports: port 0 is PHY U11 (ETH0_*), port 1 PHY U13 (ETH1_*), both Realtek RTL8211FD at
// 1000 Mb/s through lr_eth_rgmii; every port from 2 up (LINK_PORTS, board.json "link_ports")
// travels over the host link, and the host bridges it to a TAP device or a pcap.
//
// The host link is a 3.3 V USB-UART cable on header J19, as in LiteX's port: its KEY+ pin is an
// FPGA input on a stock board, while every HUB75 connector pin goes through a 74HC245 that drives
// outward only (a HUB75 pin works as an input only with its buffer bypassed). The cable's TXD to
// KEY+ (the user button's line, R7), its RXD to DATA_LED- (the user LED's line, T6): the LED
// flickers with the router's answers, and the button must not be pressed while the cable is
// attached (it pulls RX low). With the button taken by RX there is no reset button: the router
// leaves reset when both PLLs lock. IDLE, RUN and ETH_DROP show the state on HUB75 connector J1
// (5 V, through its buffer).
//
// Clocks, all from the 25 MHz that PHY U13 makes (so the PHYs are never held in reset):
//   clk     48 MHz core (PLL 1's CLKOS; 3 Mbaud at 16 clocks per bit), out of reach of a VCO
//           that also makes 125 MHz (their least common multiple is 6 GHz): hence
//   tx_clk  125 MHz RGMII transmit clock (PLL 2's CLKOP), shared by both ports;
//   RXC     each PHY's 125 MHz receive clock, from its pin.
// RGMII delays as LiteX's colorlight_5a_75x target sets them: the PHY delays TXC (TXC_DELAY_PS
// 0, the RTL8211FD's TXDLY strap), the FPGA delays RXD/RX_CTL by 2 ns (RX_DELAY_PS).
// Parameters: boards/colorlight/board.json sets every one (linerate build, the simulated board).
module lr_board_colorlight #(
    parameter N_PORTS          = 3,         // packet ports: 0 and 1 RGMII, the rest over the host link
    parameter LINK_PORTS       = 4,         // bit p: port p over the host link (must be ports 2..N_PORTS-1)
    parameter DATA_WIDTH       = 8,         // stream width (the MACs' 8 bits)
    parameter LPM_BRAM         = 1,         // block-RAM TCAM
    parameter COUNTERS_RAM     = 1,         // counters in block RAM
    parameter RES_DEPTH        = 2,         // results queued per port (lookup credits), a power of two >= 2
    parameter LPM_ENTRIES      = 32,        // LPM (TCAM) entries
    parameter ADJ_ENTRIES      = 32,        // adjacency rows
    parameter RADDR_ENTRIES    = 4,         // router addresses
    parameter MAX_FRAME_BYTES  = 1536,      // longest frame
    parameter RX_FIFO_DEPTH    = 2048,      // ingress frame FIFO beats per port
    parameter CLK_HZ           = 48000000,  // core clock (the PLL output)
    parameter UART_DIV         = 16,        // clocks per UART bit
    parameter RX_BUF_BYTES     = 2048,      // longest request frame
    parameter RESP_BUF_BYTES   = 1024,      // longest answer payload
    parameter PUNT_FIFO_BYTES  = 2048,      // punt FIFO bytes
    parameter PORT_FIFO_BYTES  = 2048,      // bytes of each port's FIFO toward the host
    parameter ETH_FIFO_BYTES   = 2048,      // each MAC's receive and transmit FIFO, a power of two >= MAX_FRAME_BYTES
    parameter RX_DELAY_PS      = 2000,      // FPGA delay on RXD/RX_CTL (0 if the PHY delays RXC)
    parameter TXC_DELAY_PS     = 0,         // FPGA delay on TXC (0: the PHY delays it)
    parameter BUILD_ID         = 0,         // build identity
    parameter BUILD_DATE       = 0,         // build date, decimal YYYYMMDD
    parameter PLL_CLKI_DIV     = 5,         // core PLL (lr_pll_ecp5, ecppll -i 25 -o 48 --highres):
    parameter PLL_CLKFB_DIV    = 2,         //   CLKOP = 25 MHz * CLKFB_DIV / CLKI_DIV,
    parameter PLL_CLKOP_DIV    = 48,        //   VCO = CLKOP * CLKOP_DIV,
    parameter PLL_CLKOP_CPHASE = 9,         //   CLKOP phase (ecppll),
    parameter PLL_CLKOS_DIV    = 10,        //   CLK_HZ = VCO / CLKOS_DIV (0: CLK_HZ = CLKOP)
    parameter PLL_CLKOS_CPHASE = 0,         //   CLKOS phase (ecppll)
    parameter TXPLL_CLKI_DIV   = 1,         // transmit PLL (ecppll -i 25 -o 125): 125 MHz =
    parameter TXPLL_CLKFB_DIV  = 5,         //   25 MHz * CLKFB_DIV / CLKI_DIV on CLKOP,
    parameter TXPLL_CLKOP_DIV  = 5,         //   VCO 625 MHz = CLKOP * CLKOP_DIV,
    parameter TXPLL_CLKOP_CPHASE = 2        //   CLKOP phase (ecppll)
) (
    input  wire       CLK,          // 25 MHz from PHY U13's oscillator (pin P6)
    input  wire       RX,           // host link: J19 KEY+, the cable's TXD (pin R7)
    output wire       TX,           // host link: J19 DATA_LED-, the cable's RXD; the LED (pin T6)
    output wire       IDLE,         // J1 pin 1 (R0), high: nothing in flight (pin C4)
    output wire       RUN,          // J1 pin 2 (G0), high: running (out of reset) (pin D4)
    output wire       ETH_DROP,     // J1 pin 3 (B0), high: a MAC has dropped a frame since reset (pin E4)
    output wire       PHY_RST_N,    // both PHYs' reset, held high: U13 makes CLK (pin R6)

    // RGMII, PHY U11 (port 0)
    input  wire       ETH0_RXC,
    input  wire [3:0] ETH0_RXD,
    input  wire       ETH0_RX_CTL,
    output wire       ETH0_TXC,
    output wire [3:0] ETH0_TXD,
    output wire       ETH0_TX_CTL,

    // RGMII, PHY U13 (port 1)
    input  wire       ETH1_RXC,
    input  wire [3:0] ETH1_RXD,
    input  wire       ETH1_RX_CTL,
    output wire       ETH1_TXC,
    output wire [3:0] ETH1_TXD,
    output wire       ETH1_TX_CTL
);

    localparam [N_PORTS-1:0] LINK = LINK_PORTS[N_PORTS-1:0];

    generate
        if (N_PORTS < 3 || DATA_WIDTH != 8 || LINK_PORTS != (((1 << N_PORTS) - 1) & ~3)) begin : g_bad_ports
            $error("%m: ports 0 and 1 are the RGMII PHYs and every other port is a link port: N_PORTS >= 3, DATA_WIDTH 8, LINK_PORTS = ports 2..N_PORTS-1");
        end
    endgenerate

    // ---------------------------------------------------------------- clocks and reset
    wire clk, locked, tx_clk, tx_locked, rst;

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

    lr_pll_ecp5 #(
        .CLKI_DIV     (TXPLL_CLKI_DIV),
        .CLKFB_DIV    (TXPLL_CLKFB_DIV),
        .CLKOP_DIV    (TXPLL_CLKOP_DIV),
        .CLKOP_CPHASE (TXPLL_CLKOP_CPHASE),
        .CLKOS_DIV    (0),
        .CLKOS_CPHASE (0)
    ) u_tx_pll (
        .clk_in (CLK),
        .clk    (tx_clk),
        .locked (tx_locked)
    );

    lr_reset_sync #(
        .HOLD (16)
    ) u_reset (
        .clk  (clk),
        .arst (!(locked && tx_locked)),
        .rst  (rst)
    );

    // ---------------------------------------------------------------- the router
    wire [N_PORTS*8-1:0] rx_tdata, tx_tdata, tx_tuser;
    wire [N_PORTS-1:0]   rx_tkeep, rx_tvalid, rx_tready, rx_tlast;
    wire [N_PORTS-1:0]   tx_tkeep, tx_tvalid, tx_tready, tx_tlast;
    wire                 idle;

    lr_router #(
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
        .BUILD_DATE      (BUILD_DATE),
        .HOST_PORTS      ({{(256-N_PORTS){1'b0}}, LINK})
    ) u_router (
        .clk              (clk),
        .rst              (rst),
        .uart_rx          (RX),
        .uart_tx          (TX),
        .cfg_uart_div     (16'd0),
        .cfg_link_ports   (LINK),
        .s_axis_rx_tdata  (rx_tdata),
        .s_axis_rx_tkeep  (rx_tkeep),
        .s_axis_rx_tvalid (rx_tvalid),
        .s_axis_rx_tready (rx_tready),
        .s_axis_rx_tlast  (rx_tlast),
        .m_axis_tx_tdata  (tx_tdata),
        .m_axis_tx_tkeep  (tx_tkeep),
        .m_axis_tx_tvalid (tx_tvalid),
        .m_axis_tx_tready (tx_tready),
        .m_axis_tx_tlast  (tx_tlast),
        .m_axis_tx_tuser  (tx_tuser),
        .stat_idle        (idle)
    );

    // link ports: no external frames in; their outputs stay idle (the router sends them to the host)
    assign rx_tdata[N_PORTS*8-1:16]  = {(N_PORTS-2)*8{1'b0}};
    assign rx_tkeep[N_PORTS-1:2]     = {(N_PORTS-2){1'b0}};
    assign rx_tvalid[N_PORTS-1:2]    = {(N_PORTS-2){1'b0}};
    assign rx_tlast[N_PORTS-1:2]     = {(N_PORTS-2){1'b0}};
    assign tx_tready[N_PORTS-1:2]    = {(N_PORTS-2){1'b1}};
    wire unused_link = ^{tx_tdata[N_PORTS*8-1:16], tx_tkeep[N_PORTS-1:2], tx_tvalid[N_PORTS-1:2],
                         tx_tlast[N_PORTS-1:2], rx_tready[N_PORTS-1:2]};
    // every port's ingress port number; tkeep is 1 on every beat at 8 bits
    wire unused_tx = ^{tx_tuser, tx_tkeep[1:0]};

    // ---------------------------------------------------------------- RGMII ports 0 and 1
    wire [31:0] rx_overflow0, rx_error0, tx_oversize0;
    wire [31:0] rx_overflow1, rx_error1, tx_oversize1;

    lr_eth_rgmii #(
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .RX_FIFO_BYTES   (ETH_FIFO_BYTES),
        .TX_FIFO_BYTES   (ETH_FIFO_BYTES),
        .RX_DELAY_PS     (RX_DELAY_PS),
        .TXC_DELAY_PS    (TXC_DELAY_PS)
    ) u_eth0 (
        .clk                   (clk),
        .rst                   (rst),
        .tx_clk                (tx_clk),
        .rgmii_rxc             (ETH0_RXC),
        .rgmii_rxd             (ETH0_RXD),
        .rgmii_rx_ctl          (ETH0_RX_CTL),
        .rgmii_txc             (ETH0_TXC),
        .rgmii_txd             (ETH0_TXD),
        .rgmii_tx_ctl          (ETH0_TX_CTL),
        .m_axis_rx_tdata       (rx_tdata[7:0]),
        .m_axis_rx_tkeep       (rx_tkeep[0]),
        .m_axis_rx_tvalid      (rx_tvalid[0]),
        .m_axis_rx_tready      (rx_tready[0]),
        .m_axis_rx_tlast       (rx_tlast[0]),
        .s_axis_tx_tdata       (tx_tdata[7:0]),
        .s_axis_tx_tkeep       (1'b1),
        .s_axis_tx_tvalid      (tx_tvalid[0]),
        .s_axis_tx_tready      (tx_tready[0]),
        .s_axis_tx_tlast       (tx_tlast[0]),
        .stat_rx_drop_overflow (rx_overflow0),
        .stat_rx_drop_error    (rx_error0),
        .stat_tx_drop_oversize (tx_oversize0)
    );

    lr_eth_rgmii #(
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .RX_FIFO_BYTES   (ETH_FIFO_BYTES),
        .TX_FIFO_BYTES   (ETH_FIFO_BYTES),
        .RX_DELAY_PS     (RX_DELAY_PS),
        .TXC_DELAY_PS    (TXC_DELAY_PS)
    ) u_eth1 (
        .clk                   (clk),
        .rst                   (rst),
        .tx_clk                (tx_clk),
        .rgmii_rxc             (ETH1_RXC),
        .rgmii_rxd             (ETH1_RXD),
        .rgmii_rx_ctl          (ETH1_RX_CTL),
        .rgmii_txc             (ETH1_TXC),
        .rgmii_txd             (ETH1_TXD),
        .rgmii_tx_ctl          (ETH1_TX_CTL),
        .m_axis_rx_tdata       (rx_tdata[15:8]),
        .m_axis_rx_tkeep       (rx_tkeep[1]),
        .m_axis_rx_tvalid      (rx_tvalid[1]),
        .m_axis_rx_tready      (rx_tready[1]),
        .m_axis_rx_tlast       (rx_tlast[1]),
        .s_axis_tx_tdata       (tx_tdata[15:8]),
        .s_axis_tx_tkeep       (1'b1),
        .s_axis_tx_tvalid      (tx_tvalid[1]),
        .s_axis_tx_tready      (tx_tready[1]),
        .s_axis_tx_tlast       (tx_tlast[1]),
        .stat_rx_drop_overflow (rx_overflow1),
        .stat_rx_drop_error    (rx_error1),
        .stat_tx_drop_oversize (tx_oversize1)
    );

    // ---------------------------------------------------------------- status pins
    // The MACs' drop counters are not registers of the router yet (rtl/eth/README.md): ETH_DROP
    // tells that one of them has counted since reset. Registered, off every other path.
    reg eth_drop_q;

    always @(posedge clk) begin
        eth_drop_q <= |{rx_overflow0, rx_error0, tx_oversize0, rx_overflow1, rx_error1, tx_oversize1};
    end

    assign IDLE      = idle;
    assign RUN       = !rst;
    assign ETH_DROP  = eth_drop_q;
    assign PHY_RST_N = 1'b1;

endmodule

`default_nettype wire
