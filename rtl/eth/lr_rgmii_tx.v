// lr_rgmii_tx: a GMII-style byte per tx_clk to the RGMII transmit pins (1000 Mb/s).
`default_nettype none

// The low nibble leaves on the rising edge of TXC, the high nibble on the falling edge; TX_CTL is
// TX_EN on the rising edge and TX_EN xor TX_ER on the falling edge. Data, control and the clock
// itself all leave through lr_oddr (ODDRX1F on the ECP5) from the same tx_clk: TXC is lr_oddr
// driving 1 then 0, so it is edge-aligned with the data, as the RGMII 2.0 timing (without delay)
// describes. The receiver needs about 2 ns between a TXC edge and the data it samples:
// TXC_DELAY_PS = 0 leaves that to the PHY's internal TX delay (RTL8211F: TXDLY strap or register),
// TXC_DELAY_PS = 2000 delays TXC in the FPGA's output delay line instead. Use one, not both.
module lr_rgmii_tx #(
    parameter TXC_DELAY_PS = 0      // delay of TXC after the data (ECP5 DELAYG), 0..3175 ps
) (
    input  wire       tx_clk,       // 125 MHz

    // one byte per tx_clk
    input  wire [7:0] gmii_txd,
    input  wire       gmii_tx_en,
    input  wire       gmii_tx_er,

    // RGMII transmit pins
    output wire       rgmii_txc,
    output wire [3:0] rgmii_txd,
    output wire       rgmii_tx_ctl
);

    lr_oddr #(
        .WIDTH    (5),
        .DELAY_PS (0)
    ) u_oddr_data (
        .clk    (tx_clk),
        .d_rise ({gmii_tx_en, gmii_txd[3:0]}),
        .d_fall ({gmii_tx_en ^ gmii_tx_er, gmii_txd[7:4]}),
        .q      ({rgmii_tx_ctl, rgmii_txd})
    );

    lr_oddr #(
        .WIDTH    (1),
        .DELAY_PS (TXC_DELAY_PS)
    ) u_oddr_clk (
        .clk    (tx_clk),
        .d_rise (1'b1),
        .d_fall (1'b0),
        .q      (rgmii_txc)
    );

endmodule

`default_nettype wire
