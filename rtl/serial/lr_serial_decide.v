// lr_serial_decide: the decision order of rtl/core/README.md (rules 1-21) over one frame's facts.
`default_nettype none

// Combinational. `early` is the verdict of rules 1-10 alone (0 = the frame passes them: look it
// up); `reason` is the full verdict once the lookup facts (to_me, LPM, adjacency) are in. Both
// follow the contract literally, rule by rule, so the README's list reads straight down the code.
module lr_serial_decide #(
    parameter MAX_FRAME_BYTES = 1536    // longer frames (L) are giants
) (
    input  wire [15:0] w,             // bytes received including FCS
    input  wire        w_over,        // W did not fit in 16 bits (a giant)
    input  wire        fcs_ok,        // CRC residue of all W bytes is right
    input  wire [15:0] port_mtu,
    input  wire        mac_me,        // dmac == port[p].mac
    input  wire        dmac_group,    // b[0] & 1
    input  wire [15:0] et,
    input  wire [7:0]  b14,           // ver, ihl
    input  wire [15:0] tot,
    input  wire [7:0]  ttl,
    input  wire        csum_ok,
    input  wire [31:0] src,
    input  wire [31:0] dst,
    input  wire        to_me,
    input  wire        lpm_hit,
    input  wire [1:0]  adj_kind,
    input  wire [15:0] adj_mtu,
    output reg  [4:0]  early,
    output reg  [4:0]  reason
);

    `include "lr_defs.vh"

    // The comparisons of the contract on L = W - 4 are made on W - 18 = L - 14 (W >= 64 wherever
    // they decide): L > mtu+18 <=> (W-18)-4 > mtu;  L < 14+4ihl <=> W-18 < 4ihl;
    // tot > L-14 <=> tot > W-18;  L > MAX <=> W > MAX+4 (a constant).
    localparam integer MAX_WI = MAX_FRAME_BYTES + 4;
    localparam [16:0]  MAX_W  = MAX_WI[16:0];

    wire [3:0]  ver  = b14[7:4];
    wire [3:0]  ihl  = b14[3:0];
    wire [5:0]  hl   = {ihl, 2'b00};                            // 4*ihl
    wire [15:0] wm18 = w - 16'd18;                              // L - 14
    wire [15:0] wm22 = wm18 - 16'd4;                            // L - 18

    wire giant   = w_over || ({1'b0, w} > MAX_W) || (wm22 > port_mtu);
    wire bad_hdr = (ver != 4'd4) || (ihl < 4'd5) || ((wm18[15:6] == 10'd0) && (wm18[5:0] < hl))
                || ((tot[15:6] == 10'd0) && (tot[5:0] < hl)) || (tot > wm18);
    wire martian = (src[31:24] == 8'd0) || (src[31:24] == 8'd127) || (src[31:29] == 3'b111)
                || (dst[31:24] == 8'd0) || (dst[31:24] == 8'd127)
                || ((dst[31:28] == 4'hF) && (dst != 32'hFFFFFFFF));
    wire mcast   = (dst[31:28] == 4'hE) || (dst == 32'hFFFFFFFF);

    always @* begin
        if (w < 16'd64 && !w_over)                        early = R_RUNT;             // 1
        else if (giant)                                    early = R_GIANT;            // 2
        else if (!fcs_ok)                                  early = R_BAD_FCS;          // 3
        else if (!mac_me && !dmac_group)                   early = R_WRONG_DST_MAC;    // 4
        else if (et == 16'h8100 || et == 16'h88A8)         early = R_VLAN;             // 5
        else if (et == 16'h0806)                           early = R_ARP;              // 6
        else if (et == 16'h86DD)                           early = R_IPV6;             // 7
        else if (et != 16'h0800)                           early = R_NON_IP;           // 8
        else if (bad_hdr)                                  early = R_BAD_IP_HEADER;    // 9
        else if (!csum_ok)                                 early = R_BAD_IP_CHECKSUM;  // 10
        else                                               early = R_FORWARD;

        if (early != R_FORWARD)                            reason = early;
        else if (martian)                                  reason = R_MARTIAN;         // 11
        else if (to_me)                                    reason = R_TO_ME;           // 12
        else if (mcast)                                    reason = R_MULTICAST;       // 13
        else if (dmac_group)                               reason = R_L2_BROADCAST_TRANSIT;      // 14
        else if (ihl > 4'd5)                               reason = R_IP_OPTIONS;      // 15
        else if (!lpm_hit)                                 reason = R_NO_ROUTE;        // 16
        else if (adj_kind == 2'd2)                         reason = R_BLACKHOLE;       // 17
        else if (ttl <= 8'd1)                              reason = R_TTL_EXPIRED;     // 18
        else if (adj_kind == 2'd0)                         reason = R_GLEAN;           // 19
        else if (tot > adj_mtu)                            reason = R_MTU_EXCEEDED;    // 20
        else                                               reason = R_FORWARD;         // 21
    end

    wire unused_src = ^src[23:0];

endmodule

`default_nettype wire
