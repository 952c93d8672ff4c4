// lr_ip_checksum: IPv4 header checksum check; ones-complement sum of the 2*ihl words from byte 14.
`default_nettype none

// ok = (folded sum of the 16-bit words u16(14), u16(16), ... u16(12+4*ihl)) == 16'hFFFF (rule 10).
// Computed only for a valid request; the caller applies it only when rule 9 passed, so every word
// read lies inside the frame. The header holds at most 30 words (ihl 15).
module lr_ip_checksum (
    input  wire         valid,    // evaluate (otherwise ok = 0, no work)
    input  wire [639:0] hdr,      // first 80 bytes, byte k at [8k +: 8]
    input  wire [3:0]   ihl,
    output reg          ok
);

    integer i;
    reg [20:0] sum;    // 30 words of 16 bits fit in 21 bits
    reg [16:0] fold1;
    reg [15:0] fold2;

    always @* begin
        sum   = 21'd0;
        fold1 = 17'd0;
        fold2 = 16'd0;
        ok    = 1'b0;
        if (valid) begin
            for (i = 0; i < 30; i = i + 1) begin
                if (i < 2 * ihl) begin
                    sum = sum + {5'd0, hdr[8*(14+2*i) +: 8], hdr[8*(15+2*i) +: 8]};
                end
            end
            fold1 = {1'b0, sum[15:0]} + {12'd0, sum[20:16]};
            fold2 = fold1[15:0] + {15'd0, fold1[16]};
            ok    = (fold2 == 16'hFFFF);
        end
    end

    wire unused_hdr = ^{hdr[8*14-1:0], hdr[639:8*74]};

endmodule

`default_nettype wire
