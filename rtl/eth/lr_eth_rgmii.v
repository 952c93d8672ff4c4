// lr_eth_rgmii: one gigabit Ethernet port: RGMII pins to and from the core's 8-bit frame streams.
`default_nettype none

// Three clock domains meet here:
//   clk        the core's clock; both streams and the stat_* counters;
//   rgmii_rxc  the PHY's 125 MHz receive clock, from the pin: lr_rgmii_rx and the MAC's receive side;
//   tx_clk     a 125 MHz transmit clock (a PLL output, or rgmii_rxc itself as LiteX does): the
//              MAC's transmit side and lr_rgmii_tx, which forwards it to the PHY as TXC.
// rst (synchronous to clk) resets everything: it is re-synchronised into the two 125 MHz domains
// (asserted at once, released on their own clock), so both sides of each FIFO reset together. A
// receive side whose RXC is not running stays in reset until it runs.
//
//   rgmii_rx* -> lr_rgmii_rx -> lr_eth_mac_rx (async frame FIFO) -> m_axis_rx_*
//   s_axis_tx_* -> lr_eth_mac_tx (async frame FIFO) -> lr_rgmii_tx -> rgmii_tx*
//
// 1000 Mb/s full duplex only: no 10/100, MDIO, autonegotiation or pause frames (rtl/eth/README.md).
module lr_eth_rgmii #(
    parameter MAX_FRAME_BYTES = 1536,   // longest frame (FCS included) either way
    parameter RX_FIFO_BYTES   = 2048,   // receive frame FIFO, a power of two >= MAX_FRAME_BYTES
    parameter TX_FIFO_BYTES   = 2048,   // transmit frame FIFO, a power of two >= MAX_FRAME_BYTES
    parameter IFG_BYTES       = 12,     // transmit inter-frame gap, bytes (>= 12)
    parameter RX_DELAY_PS     = 2000,   // FPGA delay on RXD/RX_CTL; 0 if the PHY delays RXC
    parameter TXC_DELAY_PS    = 0       // FPGA delay on TXC; 0 if the PHY delays TXC internally
) (
    // core clock domain
    input  wire        clk,
    input  wire        rst,             // synchronous, active high
    input  wire        tx_clk,          // 125 MHz transmit clock

    // RGMII pins
    input  wire        rgmii_rxc,
    input  wire [3:0]  rgmii_rxd,
    input  wire        rgmii_rx_ctl,
    output wire        rgmii_txc,
    output wire [3:0]  rgmii_txd,
    output wire        rgmii_tx_ctl,

    // received frames, FCS included (clk)
    output wire [7:0]  m_axis_rx_tdata,
    output wire        m_axis_rx_tkeep,
    output wire        m_axis_rx_tvalid,
    input  wire        m_axis_rx_tready,
    output wire        m_axis_rx_tlast,

    // frames to send, padded, FCS included (clk)
    input  wire [7:0]  s_axis_tx_tdata,
    input  wire        s_axis_tx_tkeep,
    input  wire        s_axis_tx_tvalid,
    output wire        s_axis_tx_tready,
    input  wire        s_axis_tx_tlast,

    // status (clk), wrapping counters
    output wire [31:0] stat_rx_drop_overflow,   // received frames dropped: receive FIFO full
    output wire [31:0] stat_rx_drop_error,      // received frames dropped: RX_ER
    output wire [31:0] stat_tx_drop_oversize    // frames to send longer than MAX_FRAME_BYTES
);

    wire rx_rst;
    wire tx_rst;

    lr_reset_sync #(
        .HOLD (16)
    ) u_rx_rst (
        .clk  (rgmii_rxc),
        .arst (rst),
        .rst  (rx_rst)
    );

    lr_reset_sync #(
        .HOLD (16)
    ) u_tx_rst (
        .clk  (tx_clk),
        .arst (rst),
        .rst  (tx_rst)
    );

    // ---- receive -------------------------------------------------------------------------------
    wire [7:0] gmii_rxd;
    wire       gmii_rx_dv;
    wire       gmii_rx_er;

    lr_rgmii_rx #(
        .RX_DELAY_PS (RX_DELAY_PS)
    ) u_rgmii_rx (
        .rgmii_rxc    (rgmii_rxc),
        .rgmii_rxd    (rgmii_rxd),
        .rgmii_rx_ctl (rgmii_rx_ctl),
        .gmii_rxd     (gmii_rxd),
        .gmii_rx_dv   (gmii_rx_dv),
        .gmii_rx_er   (gmii_rx_er)
    );

    lr_eth_mac_rx #(
        .FIFO_BYTES      (RX_FIFO_BYTES),
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES)
    ) u_mac_rx (
        .clk                   (clk),
        .rst                   (rst),
        .rx_clk                (rgmii_rxc),
        .rx_rst                (rx_rst),
        .gmii_rxd              (gmii_rxd),
        .gmii_rx_dv            (gmii_rx_dv),
        .gmii_rx_er            (gmii_rx_er),
        .m_axis_rx_tdata       (m_axis_rx_tdata),
        .m_axis_rx_tkeep       (m_axis_rx_tkeep),
        .m_axis_rx_tvalid      (m_axis_rx_tvalid),
        .m_axis_rx_tready      (m_axis_rx_tready),
        .m_axis_rx_tlast       (m_axis_rx_tlast),
        .stat_rx_drop_overflow (stat_rx_drop_overflow),
        .stat_rx_drop_error    (stat_rx_drop_error)
    );

    // ---- transmit ------------------------------------------------------------------------------
    wire [7:0] gmii_txd;
    wire       gmii_tx_en;

    lr_eth_mac_tx #(
        .FIFO_BYTES      (TX_FIFO_BYTES),
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES),
        .IFG_BYTES       (IFG_BYTES)
    ) u_mac_tx (
        .clk                   (clk),
        .rst                   (rst),
        .s_axis_tx_tdata       (s_axis_tx_tdata),
        .s_axis_tx_tkeep       (s_axis_tx_tkeep),
        .s_axis_tx_tvalid      (s_axis_tx_tvalid),
        .s_axis_tx_tready      (s_axis_tx_tready),
        .s_axis_tx_tlast       (s_axis_tx_tlast),
        .tx_clk                (tx_clk),
        .tx_rst                (tx_rst),
        .gmii_txd              (gmii_txd),
        .gmii_tx_en            (gmii_tx_en),
        .stat_tx_drop_oversize (stat_tx_drop_oversize)
    );

    lr_rgmii_tx #(
        .TXC_DELAY_PS (TXC_DELAY_PS)
    ) u_rgmii_tx (
        .tx_clk       (tx_clk),
        .gmii_txd     (gmii_txd),
        .gmii_tx_en   (gmii_tx_en),
        .gmii_tx_er   (1'b0),
        .rgmii_txc    (rgmii_txc),
        .rgmii_txd    (rgmii_txd),
        .rgmii_tx_ctl (rgmii_tx_ctl)
    );

endmodule

`default_nettype wire
