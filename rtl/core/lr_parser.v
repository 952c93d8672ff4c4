// lr_parser: field capture as the header streams by (Ethernet II, tags, ARP/IPv4/IPv6 ethertypes).
`default_nettype none

// One per port, inside lr_ingress. It watches the accepted beats of a frame and keeps the bytes that
// the decision reads, all within the first HDR_FIELD_BYTES (34) bytes: no wide header register and
// no header record of raw bytes. The classification itself is the decision order of
// rtl/core/README.md, applied in lr_decide. Names follow the README notation: et = u16(12),
// ver = b[14]>>4, ihl = b[14]&15, tot = u16(16), ttl = b[22], src = u32(26), dst = u32(30).
// Multi-byte fields are big-endian (first byte on the wire is the most significant).
//
// The fields are valid after the frame's last beat and stay until the next frame's beats overwrite
// them. A frame shorter than a field leaves that field stale: no rule reads a byte at or beyond L
// (the rules that reach further are guarded by rules 1 and 9).
module lr_parser #(
    parameter DATA_WIDTH = 64,    // stream width in bits, power of two 8..128
    parameter BW         = 8      // width of the beat index
) (
    input  wire                  clk,

    // observed beats (already accepted)
    input  wire                  s_beat,     // a beat is transferred this clock
    input  wire [BW-1:0]         s_bidx,     // its index in the frame (0 = first beat)
    input  wire [DATA_WIDTH-1:0] s_tdata,

    output wire [47:0]           dmac,       // b[0..6), b[0] in [47:40]
    output wire                  is_vlan,    // et is 802.1Q or 802.1ad
    output wire                  is_arp,
    output wire                  is_ipv6,
    output wire                  is_ipv4,
    output wire [3:0]            ver,
    output wire [3:0]            ihl,
    output wire [15:0]           tot,
    output wire [7:0]            ttl,
    output wire [15:0]           csum,       // u16(24): header checksum as received
    output wire [31:0]           src,
    output wire [31:0]           dst
);

    `include "lr_defs.vh"

    localparam K = DATA_WIDTH / 8;

    // Byte k of the frame is lane k % K of beat k / K. Bytes that no field reads (6..11, 15,
    // 18..21, 23) are captured too and left out by synthesis, which finds no load on them.
    reg [8*HDR_FIELD_BYTES-1:0] b_q;

    integer k;
    always @(posedge clk) begin
        if (s_beat) begin
            for (k = 0; k < HDR_FIELD_BYTES; k = k + 1) begin
                if ({{(32-BW){1'b0}}, s_bidx} == k / K) begin
                    b_q[8*k +: 8] <= s_tdata[8*(k % K) +: 8];
                end
            end
        end
    end

    function [7:0] b;
        input integer n;
        b = b_q[8*n +: 8];
    endfunction

    wire [15:0] et = {b(12), b(13)};

    assign dmac    = {b(0), b(1), b(2), b(3), b(4), b(5)};
    assign is_vlan = (et == ET_VLAN) || (et == ET_QINQ);
    assign is_arp  = (et == ET_ARP);
    assign is_ipv6 = (et == ET_IPV6);
    assign is_ipv4 = (et == ET_IPV4);
    assign ver     = b_q[8*14+4 +: 4];
    assign ihl     = b_q[8*14 +: 4];
    assign tot     = {b(16), b(17)};
    assign ttl     = b(22);
    assign csum    = {b(24), b(25)};
    assign src     = {b(26), b(27), b(28), b(29)};
    assign dst     = {b(30), b(31), b(32), b(33)};

    wire unused_bytes = ^{b_q[8*6 +: 8*6], b_q[8*15 +: 8], b_q[8*18 +: 8*4], b_q[8*23 +: 8]};

endmodule

`default_nettype wire
