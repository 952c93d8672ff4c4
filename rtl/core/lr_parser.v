// lr_parser: field extraction from the captured header (Ethernet II, tags, ARP/IPv4/IPv6 ethertypes).
`default_nettype none

// Pure slicing of the first 80 bytes (byte k at hdr[8k +: 8]); the classification itself is the
// decision order of rtl/core/README.md, applied in lr_decide. Names follow the README notation:
// et = u16(12), ver = b[14]>>4, ihl = b[14]&15, tot = u16(16), ttl = b[22], src = u32(26),
// dst = u32(30). Multi-byte fields are big-endian (first byte on the wire is the most significant).
module lr_parser (
    input  wire [639:0] hdr,          // first 80 bytes of the frame

    output wire [47:0]  dmac,         // b[0..6), b[0] in [47:40]
    output wire         dmac_group,   // b[0] & 1: broadcast or multicast
    output wire [15:0]  et,           // ethertype u16(12)
    output wire         is_vlan,      // 802.1Q or 802.1ad tag
    output wire         is_arp,
    output wire         is_ipv6,
    output wire         is_ipv4,
    output wire [3:0]   ver,
    output wire [3:0]   ihl,
    output wire [15:0]  tot,
    output wire [7:0]   ttl,
    output wire [15:0]  csum,         // u16(24): header checksum as received
    output wire [31:0]  src,
    output wire [31:0]  dst
);

    `include "lr_defs.vh"

    function [7:0] b;
        input integer k;
        b = hdr[8*k +: 8];
    endfunction

    assign dmac       = {b(0), b(1), b(2), b(3), b(4), b(5)};
    assign dmac_group = hdr[0];
    assign et         = {b(12), b(13)};
    assign is_vlan    = (et == ET_VLAN) || (et == ET_QINQ);
    assign is_arp     = (et == ET_ARP);
    assign is_ipv6    = (et == ET_IPV6);
    assign is_ipv4    = (et == ET_IPV4);
    assign ver        = hdr[8*14+4 +: 4];
    assign ihl        = hdr[8*14 +: 4];
    assign tot        = {b(16), b(17)};
    assign ttl        = b(22);
    assign csum       = {b(24), b(25)};
    assign src        = {b(26), b(27), b(28), b(29)};
    assign dst        = {b(30), b(31), b(32), b(33)};

    // bytes 6..11, 15, 18..21, 23 and 34..79 are not fields of this stage
    wire unused_hdr = ^{hdr[8*6 +: 8*6], hdr[8*15 +: 8], hdr[8*18 +: 8*4], hdr[8*23 +: 8], hdr[639:8*34]};

endmodule

`default_nettype wire
