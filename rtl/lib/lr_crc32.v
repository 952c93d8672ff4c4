// lr_crc32: combinational CRC-32 (IEEE 802.3, reflected 0xEDB88320) update over the valid bytes of a beat.
`default_nettype none

// Table-driven, a nibble at a time, bytes in stream order (byte 0 = data[7:0]). The caller keeps
// the register: start at 32'hFFFFFFFF; the FCS is ~crc, sent least significant byte first; running
// the register over a frame plus its good FCS leaves 32'hDEBB20E3. POLY selects another reflected
// CRC-32 (lr_crc32c is this module with the Castagnoli polynomial).
module lr_crc32 #(
    parameter DATA_WIDTH = 64,            // beat width in bits, a multiple of 8
    parameter KEEP_WIDTH = DATA_WIDTH/8,  // one enable per byte
    parameter [31:0] POLY = 32'hEDB88320  // reflected polynomial (32'h82F63B78: CRC-32C, lr_crc32c)
) (
    input  wire                  en,      // update only when set (no work on idle cycles)
    input  wire [31:0]           crc_in,  // CRC register before this beat
    input  wire [DATA_WIDTH-1:0] data,    // beat, byte j at [8j +: 8]
    input  wire [KEEP_WIDTH-1:0] keep,    // byte j is included when keep[j]
    output reg  [31:0]           crc_out  // CRC register after this beat (crc_in when !en)
);

    generate
        if (DATA_WIDTH < 8 || DATA_WIDTH % 8 != 0 || KEEP_WIDTH != DATA_WIDTH/8) begin : g_bad_param
            $error("lr_crc32: DATA_WIDTH must be a multiple of 8 and KEEP_WIDTH = DATA_WIDTH/8");
        end
    endgenerate

    // The register advances a nibble at a time through a 16-entry table (entry e: the register
    // change of nibble e, four steps of the reflected shift): two lookups per byte. A 256-entry
    // byte table computes the same, but yosys maps an 8,192-bit constant select slowly: at
    // DATA_WIDTH 64, synth_ice40 took 280 s with it and 8 s with this table, for the same LUTs
    // (618 and 629).
    function [511:0] nibble_table(input [31:0] poly);
        integer e, k;
        reg [31:0] r;
        begin
            nibble_table = 512'd0;
            for (e = 0; e < 16; e = e + 1) begin
                r = e;
                for (k = 0; k < 4; k = k + 1)
                    r = (r >> 1) ^ (poly & {32{r[0]}});
                nibble_table[32*e +: 32] = r;
            end
        end
    endfunction

    localparam [511:0] NIBBLE = nibble_table(POLY);

    integer j;
    reg [31:0] c;

    always @* begin
        c = crc_in;
        if (en) begin
            for (j = 0; j < KEEP_WIDTH; j = j + 1) begin
                if (keep[j]) begin
                    c = {4'd0, c[31:4]} ^ NIBBLE[{c[3:0] ^ data[8*j +: 4], 5'd0} +: 32];
                    c = {4'd0, c[31:4]} ^ NIBBLE[{c[3:0] ^ data[8*j+4 +: 4], 5'd0} +: 32];
                end
            end
        end
        crc_out = c;
    end

endmodule

`default_nettype wire
