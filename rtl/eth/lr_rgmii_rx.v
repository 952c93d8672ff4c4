// lr_rgmii_rx: RGMII receive pins to a GMII-style byte per RXC (1000 Mb/s).
`default_nettype none

// RGMII carries a byte per RXC cycle on four wires: the low nibble on the rising edge, the high
// nibble on the falling edge. RX_CTL carries RX_DV on the rising edge and RX_DV xor RX_ER on the
// falling edge. The pins are sampled by lr_iddr (the ECP5's IDDRX1F, or its simulation model) and
// registered once more in the fabric, so every output is a flip-flop clocked by rgmii_rxc.
//
// RGMII sends data edge-aligned with RXC; someone must delay one against the other by about 2 ns.
// RX_DELAY_PS sets the FPGA's share: 2000 when the PHY does not delay RXC, 0 when it does (RGMII-ID).
// Only 1000 Mb/s: at 10/100 Mb/s each nibble is repeated on both edges, which this does not undo.
module lr_rgmii_rx #(
    parameter RX_DELAY_PS = 2000    // input delay on RXD and RX_CTL (ECP5 DELAYG), 0..3175 ps
) (
    // RGMII receive pins; rgmii_rxc is also the clock of the outputs
    input  wire       rgmii_rxc,
    input  wire [3:0] rgmii_rxd,
    input  wire       rgmii_rx_ctl,

    // one byte per rgmii_rxc
    output wire [7:0] gmii_rxd,
    output wire       gmii_rx_dv,
    output wire       gmii_rx_er
);

    wire [4:0] rise;    // {RX_CTL, RXD} sampled on the rising edge
    wire [4:0] fall;    // and on the falling edge after it

    lr_iddr #(
        .WIDTH    (5),
        .DELAY_PS (RX_DELAY_PS)
    ) u_iddr (
        .clk    (rgmii_rxc),
        .d      ({rgmii_rx_ctl, rgmii_rxd}),
        .q_rise (rise),
        .q_fall (fall)
    );

    // datapath only: no reset (the MAC ignores everything until RX_DV and an SFD)
    reg [7:0] rxd_q;
    reg       dv_q;
    reg       er_q;

    always @(posedge rgmii_rxc) begin
        rxd_q <= {fall[3:0], rise[3:0]};
        dv_q  <= rise[4];
        er_q  <= rise[4] ^ fall[4];
    end

    assign gmii_rxd   = rxd_q;
    assign gmii_rx_dv = dv_q;
    assign gmii_rx_er = er_q;

endmodule

`default_nettype wire
