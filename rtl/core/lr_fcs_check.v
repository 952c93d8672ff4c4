// lr_fcs_check: FCS check observer; CRC-32 over every byte of a frame, judged at its last beat.
`default_nettype none

// A pure observer of an accepted-beat stream (no tready). Running the CRC register over the frame
// including its 4 FCS bytes leaves FCS_RESIDUE exactly when CRC-32(b[0..L)) equals the little-endian
// u32 of the last 4 bytes, which is rule 3 of rtl/core/README.md. fcs_ok is valid with the last beat.
module lr_fcs_check #(
    parameter DATA_WIDTH = 64,            // stream width in bits
    parameter KEEP_WIDTH = DATA_WIDTH/8   // byte enables
) (
    input  wire                  clk,
    input  wire                  rst,

    // observed beats (already accepted)
    input  wire                  s_beat,    // a beat is transferred this clock
    input  wire [DATA_WIDTH-1:0] s_tdata,
    input  wire [KEEP_WIDTH-1:0] s_tkeep,
    input  wire                  s_tlast,

    output wire                  fcs_ok     // with the last beat: the frame's FCS is good
);

    `include "lr_defs.vh"

    reg  [31:0] crc_q, crc_d;
    wire [31:0] crc_next;

    lr_crc32 #(
        .DATA_WIDTH (DATA_WIDTH),
        .KEEP_WIDTH (KEEP_WIDTH)
    ) u_crc (
        .en      (s_beat),
        .crc_in  (crc_q),
        .data    (s_tdata),
        .keep    (s_tkeep),
        .crc_out (crc_next)
    );

    assign fcs_ok = (crc_next == FCS_RESIDUE);

    always @* begin
        crc_d = crc_q;
        if (s_beat) begin
            crc_d = s_tlast ? 32'hFFFFFFFF : crc_next;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            crc_q <= 32'hFFFFFFFF;
        end else begin
            crc_q <= crc_d;
        end
    end

endmodule

`default_nettype wire
