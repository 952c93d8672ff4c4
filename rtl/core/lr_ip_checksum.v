// lr_ip_checksum: IPv4 header checksum check, summed as the header streams by (rule 10).
`default_nettype none

// One per port, inside lr_ingress, beside lr_parser. It adds up the 16-bit words u16(14),
// u16(16), ... u16(12+4*ihl) of a frame as its beats pass (ihl taken from byte 14 as it passes,
// in the same beat or an earlier one), so no header is stored for it and the lookup needs no adder
// chain. ok = (the ones-complement fold of that sum) == 16'hFFFF, valid after the frame's last beat
// until the next frame's first beat. The caller applies it only when rule 9 passed
// (L >= 14 + 4*ihl), so every byte summed lay inside the frame: bytes of a partial last beat
// past tkeep, and the FCS, are never inside that range then. At most 30 words (ihl 15) of 16 bits:
// the sum fits in 21 bits.
module lr_ip_checksum #(
    parameter DATA_WIDTH = 64,    // stream width in bits, power of two 8..128
    parameter BW         = 8      // width of the beat index
) (
    input  wire                  clk,

    // observed beats (already accepted)
    input  wire                  s_beat,     // a beat is transferred this clock
    input  wire [BW-1:0]         s_bidx,     // its index in the frame (0 = first beat)
    input  wire [DATA_WIDTH-1:0] s_tdata,

    output wire                  ok          // after the last beat: the header sums to 0xFFFF
);

    localparam K  = DATA_WIDTH / 8;
    localparam KL = $clog2(K);
    localparam IW = BW + KL + 1;   // byte index width
    localparam [IW-1:0] IHL_BYTE = 14;

    generate
        if (BW > 24) begin : g_bad_bw
            $error("lr_ip_checksum: BW must be 24 or less");
        end
    endgenerate

    reg  [3:0]  ihl_q;             // ihl of this frame once byte 14 has passed
    reg  [20:0] sum_q;             // the words so far
    reg  [3:0]  ihl_c;             // ihl in force for this beat
    reg  [20:0] add;               // this beat's bytes inside the header
    reg  [IW-1:0] first;           // index of the beat's first byte
    reg  [IW-1:0] idx;
    reg  [IW-1:0] hdr_end;         // 14 + 4*ihl: first byte past the header

    wire ihl_here = ({{(32-BW){1'b0}}, s_bidx} == 14 / K);   // byte 14 is in this beat

    integer j;
    always @* begin
        ihl_c = ihl_here ? s_tdata[8*(14 % K) +: 4] : ihl_q;
        first = {{(KL+1){1'b0}}, s_bidx} << KL;
        hdr_end = IHL_BYTE + {{(IW-6){1'b0}}, ihl_c, 2'b00};
        add     = 21'd0;
        for (j = 0; j < K; j = j + 1) begin
            idx = first + j[IW-1:0];
            if (idx >= IHL_BYTE && idx < hdr_end) begin
                if (idx[0] == 1'b0) begin
                    add = add + {5'd0, s_tdata[8*j +: 8], 8'd0};   // even byte: high half of a word
                end else begin
                    add = add + {13'd0, s_tdata[8*j +: 8]};
                end
            end
        end
    end

    always @(posedge clk) begin
        if (s_beat) begin
            sum_q <= ((s_bidx == {BW{1'b0}}) ? 21'd0 : sum_q) + add;
            if (ihl_here) begin
                ihl_q <= ihl_c;
            end
        end
    end

    wire [16:0] fold1 = {1'b0, sum_q[15:0]} + {12'd0, sum_q[20:16]};
    wire [15:0] fold2 = fold1[15:0] + {15'd0, fold1[16]};

    assign ok = (fold2 == 16'hFFFF);

endmodule

`default_nettype wire
