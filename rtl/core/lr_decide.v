// lr_decide: the decision order of rtl/core/README.md (first rule that applies wins) -> result record.
`default_nettype none

// Combinational. Inputs are the frame's fields and check results (parser, checksum, L3 checks,
// delayed to the adjacency's clock) and the LPM/adjacency results. The output is the result record
// of lr_defs.vh (RES_*) that lr_rewrite executes. Computed only for a valid request.
module lr_decide #(
    parameter N_PORTS         = 4,      // packet ports
    parameter MAX_FRAME_BYTES = 9600,   // longer frames (L) are giants
    parameter RES_W           = 208     // result record width (lr_defs.vh RES_WIDTH)
) (
    input  wire             valid,

    // frame
    input  wire [7:0]       in_port,    // p
    input  wire [31:0]      len_w,      // W: bytes received including FCS
    input  wire             fcs_ok,
    input  wire [15:0]      port_mtu,   // port[p].mtu
    input  wire             mac_me,     // dmac == port[p].mac
    input  wire             dmac_group, // b[0] & 1
    input  wire             is_vlan,
    input  wire             is_arp,
    input  wire             is_ipv6,
    input  wire             is_ipv4,
    input  wire [3:0]       ver,
    input  wire [3:0]       ihl,
    input  wire [15:0]      tot,
    input  wire [7:0]       ttl,
    input  wire [15:0]      csum,       // u16(24), for the rewrite
    input  wire             csum_ok,    // ones-complement header sum == 0xFFFF
    input  wire             martian,
    input  wire             to_me,
    input  wire             mcast_dst,

    // LPM and adjacency
    input  wire             lpm_hit,
    input  wire [15:0]      lpm_index,
    input  wire [15:0]      lpm_adj,
    input  wire [1:0]       adj_kind,
    input  wire [7:0]       adj_port,
    input  wire [47:0]      adj_dmac,
    input  wire [47:0]      adj_smac,
    input  wire [15:0]      adj_mtu,

    output reg  [RES_W-1:0] result,
    output reg  [4:0]       reason      // also in result; for the reason counters
);

    `include "lr_defs.vh"

    generate
        if (RES_W != RES_WIDTH) begin : g_bad_res
            $error("lr_decide: RES_W must equal RES_WIDTH of lr_defs.vh");
        end
        if (MAX_FRAME_BYTES < 60 || MAX_FRAME_BYTES > 65535) begin : g_bad_max
            $error("lr_decide: MAX_FRAME_BYTES must be 60..65535");
        end
    endgenerate

    reg [31:0] len_l;       // L = W - 4
    reg [31:0] ihl_bytes;   // 4 * ihl
    reg        early;       // decided by rules 1-10: no lookup fields in the punt header
    reg [1:0]  act;
    reg [7:0]  egress;
    reg        hit;
    reg [15:0] lpm_idx;
    reg [15:0] adj_idx;
    reg [15:0] out_len;

    always @* begin
        len_l     = len_w - 32'd4;
        ihl_bytes = {26'd0, ihl, 2'b00};
        reason    = R_FORWARD;
        early     = 1'b1;
        act       = ACT_DROP;
        egress    = PORT_NONE;
        hit       = 1'b0;
        lpm_idx   = 16'd0;
        adj_idx   = 16'd0;
        out_len   = 16'd0;
        result    = {RES_W{1'b0}};
        if (valid) begin
            if (len_w < MIN_FRAME_BYTES) begin                                          // 1
                reason = R_RUNT;
            end else if (len_l > MAX_FRAME_BYTES || len_l > {16'd0, port_mtu} + 32'd18) begin // 2
                reason = R_GIANT;
            end else if (!fcs_ok) begin                                                 // 3
                reason = R_BAD_FCS;
            end else if (!mac_me && !dmac_group) begin                                  // 4
                reason = R_WRONG_DST_MAC;
            end else if (is_vlan) begin                                                 // 5
                reason = R_VLAN;
            end else if (is_arp) begin                                                  // 6
                reason = R_ARP;
            end else if (is_ipv6) begin                                                 // 7
                reason = R_IPV6;
            end else if (!is_ipv4) begin                                                // 8
                reason = R_NON_IP;
            end else if (ver != 4'd4 || ihl < 4'd5 || len_l < 32'd14 + ihl_bytes
                         || {16'd0, tot} < ihl_bytes || {16'd0, tot} > len_l - 32'd14) begin // 9
                reason = R_BAD_IP_HEADER;
            end else if (!csum_ok) begin                                                // 10
                reason = R_BAD_IP_CHECKSUM;
            end else begin
                early = 1'b0;
                if (martian) begin                                                      // 11
                    reason = R_MARTIAN;
                end else if (to_me) begin                                               // 12
                    reason = R_TO_ME;
                end else if (mcast_dst) begin                                           // 13
                    reason = R_MULTICAST;
                end else if (dmac_group) begin                                          // 14
                    reason = R_L2_BROADCAST_TRANSIT;
                end else if (ihl > 4'd5) begin                                          // 15
                    reason = R_IP_OPTIONS;
                end else if (!lpm_hit) begin                                            // 16
                    reason = R_NO_ROUTE;
                end else if (adj_kind == ADJ_BLACKHOLE) begin                           // 17
                    reason = R_BLACKHOLE;
                end else if (ttl <= 8'd1) begin                                         // 18
                    reason = R_TTL_EXPIRED;
                end else if (adj_kind == ADJ_GLEAN) begin                               // 19
                    reason = R_GLEAN;
                end else if (tot > adj_mtu) begin                                       // 20
                    reason = R_MTU_EXCEEDED;
                end else begin                                                          // 21
                    reason = R_FORWARD;
                end
            end

            // lookup fields of the punt header: zero (egress 255) for rules 1-10 and on a miss
            if (!early && lpm_hit) begin
                hit     = 1'b1;
                lpm_idx = lpm_index;
                adj_idx = lpm_adj;
                egress  = adj_port;
            end

            if (reason == R_FORWARD) begin
                // an adjacency naming a port this build does not have: nothing to send
                act     = ({24'd0, adj_port} < N_PORTS) ? ACT_FORWARD : ACT_DROP;
                out_len = 16'd14 + tot;
            end else if (reason < R_FIRST_DROP) begin
                act     = ACT_PUNT;
                out_len = len_l[15:0];
            end

            result[RES_ACT_LSB     +: 2]  = act;
            result[RES_REASON_LSB  +: 5]  = reason;
            result[RES_IN_PORT_LSB +: 8]  = in_port;
            result[RES_EGRESS_LSB  +: 8]  = egress;
            result[RES_HIT_BIT]           = hit;
            result[RES_LPM_IDX_LSB +: 16] = lpm_idx;
            result[RES_ADJ_IDX_LSB +: 16] = adj_idx;
            result[RES_LEN_LSB     +: 16] = len_l[15:0];
            result[RES_OUT_LEN_LSB +: 16] = out_len;
            result[RES_DMAC_LSB    +: 48] = adj_dmac;
            result[RES_SMAC_LSB    +: 48] = adj_smac;
            result[RES_TTL_LSB     +: 8]  = ttl;
            result[RES_CSUM_LSB    +: 16] = csum;
        end
    end

endmodule

`default_nettype wire
