// lr_crc32c: combinational byte-wise CRC-32C (Castagnoli, reflected 0x82F63B78) update.
`default_nettype none

// The host link's CRC (rtl/link/README.md). The caller keeps the register: start at 32'hFFFFFFFF,
// feed the frame's bytes in order; the CRC is ~crc, sent most significant byte first. The check
// value of "123456789" is 32'hE3069283. The arithmetic is lr_crc32's (rtl/lib) with this
// polynomial, one byte wide.
module lr_crc32c (
    input  wire        en,       // update only when set (no work on idle cycles)
    input  wire [31:0] crc_in,   // CRC register before this byte
    input  wire [7:0]  data,     // the byte
    output wire [31:0] crc_out   // CRC register after this byte (crc_in when !en)
);

    lr_crc32 #(
        .DATA_WIDTH (8),
        .POLY       (32'h82F63B78)
    ) u_crc (
        .en      (en),
        .crc_in  (crc_in),
        .data    (data),
        .keep    (1'b1),
        .crc_out (crc_out)
    );

endmodule

`default_nettype wire
