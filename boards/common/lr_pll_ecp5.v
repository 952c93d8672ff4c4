// lr_pll_ecp5: the ECP5 PLL (EHXPLLL) that makes the core clock from a board's oscillator.
`default_nettype none

// ecppll computes the dividers (yowasp-ecppll -i 25 -o 48 --highres). CLKOP is always the
// feedback: F_CLKOP = F_in * CLKFB_DIV / CLKI_DIV, and the VCO runs at F_CLKOP * CLKOP_DIV
// (400..800 MHz). CLKOS_DIV = 0: the core clock is CLKOP. CLKOS_DIV > 0 (ecppll --highres, for
// frequencies CLKOP cannot reach, such as 48 MHz from 25 MHz): the core clock is CLKOS =
// VCO / CLKOS_DIV and CLKOP only closes the loop. Verilator uses lr_pll_ecp5_sim.v instead.
module lr_pll_ecp5 #(
    parameter CLKI_DIV     = 1,     // reference divider, 1..128 (PFD = F_in / CLKI_DIV)
    parameter CLKFB_DIV    = 2,     // feedback divider, 1..128
    parameter CLKOP_DIV    = 12,    // CLKOP output divider, 1..128
    parameter CLKOP_CPHASE = 5,     // CLKOP coarse phase, as ecppll gives it
    parameter CLKOS_DIV    = 0,     // CLKOS output divider, 1..128; 0 = CLKOS off, clk = CLKOP
    parameter CLKOS_CPHASE = 0      // CLKOS coarse phase, as ecppll gives it
) (
    input  wire clk_in,             // the oscillator, from the pin
    output wire clk,                // core clock
    output wire locked
);

    generate
        if (CLKI_DIV < 1 || CLKI_DIV > 128 || CLKFB_DIV < 1 || CLKFB_DIV > 128 ||
            CLKOP_DIV < 1 || CLKOP_DIV > 128 || CLKOS_DIV < 0 || CLKOS_DIV > 128) begin : g_bad_div
            $error("lr_pll_ecp5: CLKI_DIV, CLKFB_DIV, CLKOP_DIV must be 1..128, CLKOS_DIV 0..128");
        end
    endgenerate

    wire clkop;     // the feedback, and the core clock when CLKOS_DIV = 0

    generate
        if (CLKOS_DIV != 0) begin : g_clkos
            wire clkos;

            (* ICP_CURRENT = "12" *) (* LPF_RESISTOR = "8" *)
            (* MFG_ENABLE_FILTEROPAMP = "1" *) (* MFG_GMCREF_SEL = "2" *)
            EHXPLLL #(
                .PLLRST_ENA      ("DISABLED"),
                .INTFB_WAKE      ("DISABLED"),
                .STDBY_ENABLE    ("DISABLED"),
                .DPHASE_SOURCE   ("DISABLED"),
                .OUTDIVIDER_MUXA ("DIVA"),
                .OUTDIVIDER_MUXB ("DIVB"),
                .OUTDIVIDER_MUXC ("DIVC"),
                .OUTDIVIDER_MUXD ("DIVD"),
                .FEEDBK_PATH     ("CLKOP"),
                .CLKI_DIV        (CLKI_DIV),
                .CLKFB_DIV       (CLKFB_DIV),
                .CLKOP_ENABLE    ("ENABLED"),
                .CLKOP_DIV       (CLKOP_DIV),
                .CLKOP_CPHASE    (CLKOP_CPHASE),
                .CLKOP_FPHASE    (0),
                .CLKOS_ENABLE    ("ENABLED"),
                .CLKOS_DIV       (CLKOS_DIV),
                .CLKOS_CPHASE    (CLKOS_CPHASE),
                .CLKOS_FPHASE    (0)
            ) u_pll (
                .CLKI            (clk_in),
                .CLKFB           (clkop),
                .CLKOP           (clkop),
                .CLKOS           (clkos),
                .LOCK            (locked),
                .RST             (1'b0),
                .STDBY           (1'b0),
                .PHASESEL0       (1'b0),
                .PHASESEL1       (1'b0),
                .PHASEDIR        (1'b1),
                .PHASESTEP       (1'b1),
                .PHASELOADREG    (1'b1),
                .PLLWAKESYNC     (1'b0),
                .ENCLKOP         (1'b0)
            );

            assign clk = clkos;
        end else begin : g_clkop
            (* ICP_CURRENT = "12" *) (* LPF_RESISTOR = "8" *)
            (* MFG_ENABLE_FILTEROPAMP = "1" *) (* MFG_GMCREF_SEL = "2" *)
            EHXPLLL #(
                .PLLRST_ENA      ("DISABLED"),
                .INTFB_WAKE      ("DISABLED"),
                .STDBY_ENABLE    ("DISABLED"),
                .DPHASE_SOURCE   ("DISABLED"),
                .OUTDIVIDER_MUXA ("DIVA"),
                .OUTDIVIDER_MUXB ("DIVB"),
                .OUTDIVIDER_MUXC ("DIVC"),
                .OUTDIVIDER_MUXD ("DIVD"),
                .FEEDBK_PATH     ("CLKOP"),
                .CLKI_DIV        (CLKI_DIV),
                .CLKFB_DIV       (CLKFB_DIV),
                .CLKOP_ENABLE    ("ENABLED"),
                .CLKOP_DIV       (CLKOP_DIV),
                .CLKOP_CPHASE    (CLKOP_CPHASE),
                .CLKOP_FPHASE    (0)
            ) u_pll (
                .CLKI            (clk_in),
                .CLKFB           (clkop),
                .CLKOP           (clkop),
                .LOCK            (locked),
                .RST             (1'b0),
                .STDBY           (1'b0),
                .PHASESEL0       (1'b0),
                .PHASESEL1       (1'b0),
                .PHASEDIR        (1'b1),
                .PHASESTEP       (1'b1),
                .PHASELOADREG    (1'b1),
                .PLLWAKESYNC     (1'b0),
                .ENCLKOP         (1'b0)
            );

            assign clk = clkop;
        end
    endgenerate

endmodule

`default_nettype wire
