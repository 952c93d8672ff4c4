// lr_l3_checks: port table (router MAC, MTU), router-address table, martian and multicast checks.
`default_nettype none

// Holds two small tables in registers and evaluates, for one lookup request:
//   mac_me    dmac == port[p].mac                                    (rule 4)
//   martian   RFC 1812 5.3.7 source/destination classes               (rule 11)
//   to_me     dst equals a valid raddr entry                          (rule 12)
//   mcast_dst dst in 224.0.0.0/4 or dst == 255.255.255.255            (rule 13)
//   port_mtu  port[p].mtu                                             (rule 2)
// Outputs are combinational and only computed for a valid request. Each table entry is written
// whole in one clock; CSR reads return the entry one clock after tbl_*_re (0 beyond the table).
module lr_l3_checks #(
    parameter N_PORTS       = 4,    // packet ports (port table entries)
    parameter RADDR_ENTRIES = 16    // router-address entries
) (
    input  wire        clk,
    input  wire        rst,

    // lookup request
    input  wire        valid,
    input  wire [7:0]  port,        // ingress port
    input  wire [47:0] dmac,
    input  wire [31:0] src,
    input  wire [31:0] dst,

    // results (combinational)
    output reg         mac_me,
    output reg         martian,
    output reg         to_me,
    output reg         mcast_dst,
    output reg  [15:0] port_mtu,

    // port table CSR access
    input  wire        tbl_port_we,
    input  wire        tbl_port_re,
    input  wire [15:0] tbl_port_index,
    input  wire [15:0] tbl_port_wr_mac_hi,
    input  wire [31:0] tbl_port_wr_mac_lo,
    input  wire [15:0] tbl_port_wr_mtu,
    output reg  [15:0] tbl_port_rd_mac_hi,
    output reg  [31:0] tbl_port_rd_mac_lo,
    output reg  [15:0] tbl_port_rd_mtu,

    // router-address table CSR access
    input  wire        tbl_raddr_we,
    input  wire        tbl_raddr_re,
    input  wire [15:0] tbl_raddr_index,
    input  wire        tbl_raddr_wr_valid,
    input  wire [31:0] tbl_raddr_wr_addr,
    output reg         tbl_raddr_rd_valid,
    output reg  [31:0] tbl_raddr_rd_addr
);

    localparam PW = (N_PORTS > 1) ? $clog2(N_PORTS) : 1;
    localparam RW = (RADDR_ENTRIES > 1) ? $clog2(RADDR_ENTRIES) : 1;

    generate
        if (N_PORTS < 1 || N_PORTS > 255) begin : g_bad_ports
            $error("lr_l3_checks: N_PORTS must be 1..255");
        end
        if (RADDR_ENTRIES < 1 || RADDR_ENTRIES > 65536) begin : g_bad_raddr
            $error("lr_l3_checks: RADDR_ENTRIES must be 1..65536");
        end
    endgenerate

    // ---------------------------------------------------------------- tables
    reg [47:0]              port_mac [0:N_PORTS-1];
    reg [15:0]              port_mtu_tab [0:N_PORTS-1];
    reg [RADDR_ENTRIES-1:0] ra_valid_q;
    reg [31:0]              ra_addr [0:RADDR_ENTRIES-1];

    wire port_wr  = tbl_port_we && ({16'd0, tbl_port_index} < N_PORTS);
    wire port_rd  = {16'd0, tbl_port_index} < N_PORTS;
    wire raddr_wr = tbl_raddr_we && ({16'd0, tbl_raddr_index} < RADDR_ENTRIES);
    wire raddr_rd = {16'd0, tbl_raddr_index} < RADDR_ENTRIES;

    wire [PW-1:0] port_widx  = tbl_port_index[PW-1:0];
    wire [RW-1:0] raddr_widx = tbl_raddr_index[RW-1:0];

    always @(posedge clk) begin
        if (port_wr) begin
            port_mac[port_widx]     <= {tbl_port_wr_mac_hi, tbl_port_wr_mac_lo};
            port_mtu_tab[port_widx] <= tbl_port_wr_mtu;
        end
        if (raddr_wr) begin
            ra_addr[raddr_widx] <= tbl_raddr_wr_addr;
        end
        if (tbl_port_re) begin
            tbl_port_rd_mac_hi <= port_rd ? port_mac[port_widx][47:32] : 16'd0;
            tbl_port_rd_mac_lo <= port_rd ? port_mac[port_widx][31:0]  : 32'd0;
            tbl_port_rd_mtu    <= port_rd ? port_mtu_tab[port_widx]    : 16'd0;
        end
        if (tbl_raddr_re) begin
            tbl_raddr_rd_valid <= raddr_rd ? ra_valid_q[raddr_widx] : 1'b0;
            tbl_raddr_rd_addr  <= raddr_rd ? ra_addr[raddr_widx]    : 32'd0;
        end
    end

    // valid bits are control state: reset to "no router address"
    always @(posedge clk) begin
        if (rst) begin
            ra_valid_q <= {RADDR_ENTRIES{1'b0}};
        end else if (raddr_wr) begin
            ra_valid_q[raddr_widx] <= tbl_raddr_wr_valid;
        end
    end

    // ---------------------------------------------------------------- checks
    wire [PW-1:0] lport = port[PW-1:0];

    integer i;
    always @* begin
        mac_me    = 1'b0;
        martian   = 1'b0;
        to_me     = 1'b0;
        mcast_dst = 1'b0;
        port_mtu  = 16'd0;
        if (valid) begin
            mac_me    = (dmac == port_mac[lport]);
            port_mtu  = port_mtu_tab[lport];
            martian   = (src[31:24] == 8'd0) || (src[31:24] == 8'd127) || (src[31:29] == 3'b111)
                     || (dst[31:24] == 8'd0) || (dst[31:24] == 8'd127)
                     || ((dst[31:28] == 4'hF) && (dst != 32'hFFFFFFFF));
            mcast_dst = (dst[31:28] == 4'hE) || (dst == 32'hFFFFFFFF);
            for (i = 0; i < RADDR_ENTRIES; i = i + 1) begin
                if (ra_valid_q[i] && ra_addr[i] == dst) begin
                    to_me = 1'b1;
                end
            end
        end
    end

    wire unused_l3 = ^{port, src[23:0]};

endmodule

`default_nettype wire
