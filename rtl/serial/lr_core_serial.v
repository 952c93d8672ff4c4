// lr_core_serial: the IPv4 fast path of rtl/core/README.md for narrow, slow links, one frame at a time.
`default_nettype none

// A drop-in for lr_core at DATA_WIDTH 8 (the iCE40 boards, whose ports travel over a 3 Mbaud UART:
// a frame every ~6,000 clocks at most). One frame is handled at a time, byte by byte:
//   IDLE     round robin over the packet ports and the inject stream (whole frames)
//   RX       the frame goes into lr_serial_buffer; the CRC (lr_crc32), the IP header checksum
//            (lr_serial_ipsum) and a shift register of the 22 of its first 34 bytes that the
//            rules read watch it pass
//   LK_*     lr_serial_tables is read a 16-bit word per two clocks: the port row (MAC compare,
//            MTU); then, for frames that pass rules 1-10 (lr_serial_decide `early`), the valid
//            router addresses, the LPM entries from index 0 until the first match, the adjacency
//   RW       a forwarded frame is rewritten inside the buffer: MACs, TTL, checksum
//   TX       the buffer streams out: punt header + frame to the CPU stream, or the rewritten frame
//            (trimmed to 14+tot) padded to 60 bytes with the CRC appended (the same lr_crc32)
//   INJ_*    injected frames stream through one byte register to their port (no length limit),
//            padded and given an FCS on the way
//   C_*      each counter event is one read-modify-write of lr_counter_ram's block RAM (rtl/lib)
// Every input waits on tready while a frame is in process; nothing is dropped for lack of space.
// The register block is lr_csr, wired as in lr_core; table writes and read-backs go through
// lr_serial_tables, which holds csr_wait while it copies or fetches an entry.
// A 60-byte frame (W = 64) forwarded: 64 clocks in, 8 for the port row, 4 per valid router
// address, 2 per empty LPM entry and 6 to 12 per valid one tried, 4 for the adjacency, 27 to
// rewrite, 68 out, about 12 for counters: ~300 clocks with test/configs/board.conf (README.md).
module lr_core_serial #(
    parameter N_PORTS         = 4,              // packet ports (1..255; tuser 255 marks injected frames)
    parameter DATA_WIDTH      = 8,              // stream width: must be 8 here (lr_core: 8..128, default 64)
    parameter KEEP_WIDTH      = DATA_WIDTH/8,   // byte enables
    parameter LPM_ENTRIES     = 1024,           // LPM (TCAM) entries
    parameter LPM_BRAM        = 0,              // ignored: the LPM is always in block RAM, searched entry by entry
    parameter COUNTERS_RAM    = 0,              // ignored: the counters are always in block RAM
    parameter RES_DEPTH       = 8,              // ignored: one frame at a time, no result queues
    parameter ADJ_ENTRIES     = 256,            // adjacency rows
    parameter RADDR_ENTRIES   = 16,             // router addresses
    parameter MAX_FRAME_BYTES = 9600,           // longer frames (L) are dropped as giant
    parameter RX_FIFO_DEPTH   = 2048,           // ignored: one frame buffer of MAX_FRAME_BYTES+20 bytes (a power of two)
    parameter BUILD_ID        = 32'h0,          // build identity reported by the register block (git hash prefix)
    parameter BUILD_DATE      = 32'd0           // build date reported by the register block, decimal YYYYMMDD
) (
    input  wire                          clk,
    input  wire                          rst,   // synchronous, active high

    // packet ports in (frames with FCS)
    input  wire [N_PORTS*DATA_WIDTH-1:0] s_axis_rx_tdata,
    input  wire [N_PORTS*KEEP_WIDTH-1:0] s_axis_rx_tkeep,
    input  wire [N_PORTS-1:0]            s_axis_rx_tvalid,
    output wire [N_PORTS-1:0]            s_axis_rx_tready,
    input  wire [N_PORTS-1:0]            s_axis_rx_tlast,

    // packet ports out (frames with FCS)
    output wire [N_PORTS*DATA_WIDTH-1:0] m_axis_tx_tdata,
    output wire [N_PORTS*KEEP_WIDTH-1:0] m_axis_tx_tkeep,
    output wire [N_PORTS-1:0]            m_axis_tx_tvalid,
    input  wire [N_PORTS-1:0]            m_axis_tx_tready,
    output wire [N_PORTS-1:0]            m_axis_tx_tlast,
    output wire [N_PORTS*8-1:0]          m_axis_tx_tuser,   // ingress port, 255 = injected

    // CPU stream out (punt header + frame without FCS)
    output wire [DATA_WIDTH-1:0]         m_axis_cpu_tdata,
    output wire [KEEP_WIDTH-1:0]         m_axis_cpu_tkeep,
    output wire                          m_axis_cpu_tvalid,
    input  wire                          m_axis_cpu_tready,
    output wire                          m_axis_cpu_tlast,

    // CPU inject stream in (inject header + frame without FCS)
    input  wire [DATA_WIDTH-1:0]         s_axis_inject_tdata,
    input  wire [KEEP_WIDTH-1:0]         s_axis_inject_tkeep,
    input  wire                          s_axis_inject_tvalid,
    output wire                          s_axis_inject_tready,
    input  wire                          s_axis_inject_tlast,

    // register access
    input  wire [15:0]                   csr_addr,
    input  wire [31:0]                   csr_wdata,
    input  wire                          csr_we,
    input  wire                          csr_re,
    output wire [31:0]                   csr_rdata,
    output wire                          csr_rvalid,
    output wire                          csr_wait,   // a table write in progress: no bus access now

    // status
    output wire                          stat_idle   // no frame anywhere inside
);

    `include "lr_defs.vh"

    localparam N    = N_PORTS;
    localparam NCNT = 4*N_PORTS + 36;
    localparam CB_I   = 4*N_PORTS;
    localparam CPU0_I = 4*N_PORTS + 32;
    localparam IXW  = $clog2(((LPM_ENTRIES > RADDR_ENTRIES) ? LPM_ENTRIES : RADDR_ENTRIES) + 1);   // entry index
    localparam SW   = $clog2(N_PORTS + 1);                 // source index: the ports, then inject
    localparam BAW  = $clog2(MAX_FRAME_BYTES + 4);        // frame buffer: L and the FCS
    localparam [BAW-1:0] B22 = 22, B24 = 24, B25 = 25;      // TTL and checksum bytes
    localparam [7:0]  NP   = N_PORTS[7:0];
    localparam RAW  = (RADDR_ENTRIES > 1) ? $clog2(RADDR_ENTRIES) : 1;   // raddr index width
    localparam [7:0]  CB   = CB_I[7:0];                     // first reason counter
    localparam [7:0]  CPU0 = CPU0_I[7:0];                // cpu_frames

    generate
        if (N_PORTS < 1 || N_PORTS > 54) begin : g_bad_ports
            $error("lr_core_serial: N_PORTS must be 1..54 (counter index fits 8 bits)");
        end
        if (DATA_WIDTH != 8 || KEEP_WIDTH != 1) begin : g_bad_width
            $error("lr_core_serial: DATA_WIDTH must be 8 (use lr_core for wider streams)");
        end
        if (MAX_FRAME_BYTES < 60 || MAX_FRAME_BYTES > 65515) begin : g_bad_max
            $error("lr_core_serial: MAX_FRAME_BYTES must be 60..65515");
        end
    endgenerate

    // ---------------------------------------------------------------- register block
    `include "lr_csr_inst.vh"

    // ---------------------------------------------------------------- tables
    wire        lk_req, lk_gnt, lk_own;
    reg  [1:0]  lk_table;
    reg  [15:0] lk_index;
    reg  [2:0]  lk_word;
    wire [15:0] lk_rdata;
    wire [RADDR_ENTRIES-1:0] raddr_valid;
    wire        tbl_busy;

    lr_serial_tables #(
        .N_PORTS       (N_PORTS),
        .LPM_ENTRIES   (LPM_ENTRIES),
        .ADJ_ENTRIES   (ADJ_ENTRIES),
        .RADDR_ENTRIES (RADDR_ENTRIES)
    ) u_tables (
        .clk                (clk),
        .rst                (rst),
        .lk_req             (lk_req),
        .lk_gnt             (lk_gnt),
        .lk_own             (lk_own),
        .lk_table           (lk_table),
        .lk_index           (lk_index),
        .lk_word            (lk_word),
        .lk_rdata           (lk_rdata),
        .raddr_valid        (raddr_valid),
        .busy               (tbl_busy),
        .csr_addr           (csr_addr),
        .csr_we             (csr_we),
        .tbl_port_we        (tbl_port_we),
        .tbl_port_re        (tbl_port_re),
        .tbl_port_index     (tbl_port_index),
        .tbl_port_wr_mac_hi (tbl_port_wr_mac_hi),
        .tbl_port_wr_mac_lo (tbl_port_wr_mac_lo),
        .tbl_port_wr_mtu    (tbl_port_wr_mtu),
        .tbl_port_rd_mac_hi (tbl_port_rd_mac_hi),
        .tbl_port_rd_mac_lo (tbl_port_rd_mac_lo),
        .tbl_port_rd_mtu    (tbl_port_rd_mtu),
        .tbl_raddr_we       (tbl_raddr_we),
        .tbl_raddr_re       (tbl_raddr_re),
        .tbl_raddr_index    (tbl_raddr_index),
        .tbl_raddr_wr_valid (tbl_raddr_wr_valid),
        .tbl_raddr_wr_addr  (tbl_raddr_wr_addr),
        .tbl_raddr_rd_valid (tbl_raddr_rd_valid),
        .tbl_raddr_rd_addr  (tbl_raddr_rd_addr),
        .tbl_lpm_we         (tbl_lpm_we),
        .tbl_lpm_re         (tbl_lpm_re),
        .tbl_lpm_index      (tbl_lpm_index),
        .tbl_lpm_wr_valid   (tbl_lpm_wr_valid),
        .tbl_lpm_wr_value   (tbl_lpm_wr_value),
        .tbl_lpm_wr_mask    (tbl_lpm_wr_mask),
        .tbl_lpm_wr_adj     (tbl_lpm_wr_adj),
        .tbl_lpm_rd_valid   (tbl_lpm_rd_valid),
        .tbl_lpm_rd_value   (tbl_lpm_rd_value),
        .tbl_lpm_rd_mask    (tbl_lpm_rd_mask),
        .tbl_lpm_rd_adj     (tbl_lpm_rd_adj),
        .tbl_adj_we         (tbl_adj_we),
        .tbl_adj_re         (tbl_adj_re),
        .tbl_adj_index      (tbl_adj_index),
        .tbl_adj_wr_kind    (tbl_adj_wr_kind),
        .tbl_adj_wr_port    (tbl_adj_wr_port),
        .tbl_adj_wr_dmac_hi (tbl_adj_wr_dmac_hi),
        .tbl_adj_wr_dmac_lo (tbl_adj_wr_dmac_lo),
        .tbl_adj_wr_smac_hi (tbl_adj_wr_smac_hi),
        .tbl_adj_wr_smac_lo (tbl_adj_wr_smac_lo),
        .tbl_adj_wr_mtu     (tbl_adj_wr_mtu),
        .tbl_adj_rd_kind    (tbl_adj_rd_kind),
        .tbl_adj_rd_port    (tbl_adj_rd_port),
        .tbl_adj_rd_dmac_hi (tbl_adj_rd_dmac_hi),
        .tbl_adj_rd_dmac_lo (tbl_adj_rd_dmac_lo),
        .tbl_adj_rd_smac_hi (tbl_adj_rd_smac_hi),
        .tbl_adj_rd_smac_lo (tbl_adj_rd_smac_lo),
        .tbl_adj_rd_mtu     (tbl_adj_rd_mtu)
    );

    // ---------------------------------------------------------------- counters
    reg         ev_valid;
    reg  [7:0]  ev_index;
    reg  [15:0] ev_delta;
    wire        ev_ready, cnt_busy, cnt_idle;

    lr_counter_ram #(
        .NCNT (NCNT)
    ) u_counters (
        .clk                (clk),
        .rst                (rst),
        .cfg_counters_clear (cfg_counters_clear),
        .ev_valid           (ev_valid),
        .ev_index           (ev_index),
        .ev_delta           (ev_delta),
        .ev_ready           (ev_ready),
        .busy               (cnt_busy),
        .idle               (cnt_idle),
        .cnt_re             (cnt_re),
        .cnt_index          (cnt_index),
        .cnt_rdata          (cnt_rdata)
    );

    assign csr_wait = tbl_busy || cnt_busy;

    // ---------------------------------------------------------------- state
    localparam [4:0] S_IDLE     = 5'd0,  S_RX       = 5'd1,  S_C_RXF    = 5'd2,  S_C_RXB    = 5'd3,
                     S_LK_WAIT  = 5'd4,  S_LK_PORT  = 5'd5,  S_PRE      = 5'd6,  S_LK_RADDR = 5'd7,
                     S_LK_LPM   = 5'd8,  S_LK_ADJ   = 5'd9,  S_POST     = 5'd10, S_RW       = 5'd11,
                     S_C_REASON = 5'd12, S_TX_PRIME = 5'd13, S_TX       = 5'd14, S_C_OUTF   = 5'd15,
                     S_C_OUTB   = 5'd16, S_INJ_HDR  = 5'd17, S_INJ_DROP = 5'd18, S_C_INJF   = 5'd19,
                     S_C_INJD   = 5'd20;

    reg  [4:0]   st_q, st_d;
    reg  [7:0]   src_q, src_d;           // ingress port of the frame in process
    reg  [15:0]  cnt_q, cnt_d;           // bytes received so far (W at the end)
    reg          over_q, over_d;         // W passed 65535
    reg  [31:0]  crc_q;
    reg          crc_init;               // start a CRC (the register goes to all ones)
    reg  [175:0] hdr_q;                  // the bytes of b[0..33] that hdr_keep names, b[0] in [175:168]
    reg  [2:0]   k_q, k_d;               // table word
    reg          ph_q, ph_d;             // 0: word addressed, 1: word on lk_rdata
    reg  [IXW-1:0] i_q, i_d;             // raddr / LPM entry
    reg          mac_eq_q, mac_eq_d;
    reg  [15:0]  mtu_q, mtu_d;           // port[p].mtu
    reg          to_me_q, to_me_d;
    reg          half_q, half_d;         // raddr: high half matched
    reg  [15:0]  val_q, val_d;           // LPM value half
    reg          hit_q, hit_d;
    reg  [IXW-1:0] lidx_q, lidx_d;
    reg  [15:0]  ladj_q, ladj_d;
    reg  [1:0]   kind_q, kind_d;
    reg  [7:0]   aport_q, aport_d;
    reg  [15:0]  amtu_q, amtu_d;
    reg  [4:0]   reason_q, reason_d;
    reg  [3:0]   rs_q, rs_d;             // rewrite step
    reg          cpu_q, cpu_d;           // output: the CPU stream
    reg          inj_q, inj_d;           // output: an injected frame
    reg  [7:0]   oport_q, oport_d;       // output port
    reg  [15:0]  oidx_q, oidx_d;         // output frame byte (= buffer address)
    reg          hph_q, hph_d;           // sending the punt header
    reg  [3:0]   hc_q, hc_d;             // its byte
    reg  [15:0]  dend_q, dend_d;         // first index past the frame's data
    reg          fcs_q, fcs_d;           // sending the FCS
    reg          indata_q, indata_d;     // oidx_q < dend_q
    reg  [1:0]   fk_q, fk_d;             // its byte
    reg  [31:0]  seq_q;
    reg          seq_inc;                // a punted frame has left
    reg  [7:0]   ib_q, ib_d;             // inject byte register
    reg          ibv_q, ibv_d;
    reg          ibl_q, ibl_d;           // it is the frame's last
    reg          iin_q, iin_d;           // the inject frame's last byte was taken
    reg          idone_q, idone_d;       // ... and sent
    reg  [2:0]   hb_q, hb_d;             // inject header byte
    reg  [7:0]   ip_q, ip_d;             // inject port
    reg          idrop_q, idrop_d;

    // frame facts from the shift register (meaningful for W >= 64, when L >= 34). It takes only
    // the bytes the rules read: dmac b[0..5], et b[12..13], b[14], tot b[16..17], ttl b[22],
    // csum b[24..25], src b[26..29], dst b[30..33] (22 bytes: 96 flip-flops fewer than all 34,
    // which a shift register would keep)
    wire        hdr_keep = (cnt_q < 16'd6) || (cnt_q >= 16'd12 && cnt_q <= 16'd14) || cnt_q == 16'd16
                        || cnt_q == 16'd17 || cnt_q == 16'd22 || (cnt_q >= 16'd24 && cnt_q <= 16'd33);
    wire [47:0] dmac  = hdr_q[175:128];
    wire [15:0] et    = hdr_q[127:112];
    wire [7:0]  b14   = hdr_q[111:104];
    wire [15:0] tot   = hdr_q[103:88];
    wire [7:0]  ttl   = hdr_q[87:80];
    wire [15:0] csum  = hdr_q[79:64];
    wire [31:0] src   = hdr_q[63:32];
    wire [31:0] dst   = hdr_q[31:0];
    wire [15:0] len_l = cnt_q - 16'd4;

    // ---------------------------------------------------------------- arbitration
    wire [N:0]   req = {s_axis_inject_tvalid, s_axis_rx_tvalid};
    wire [N:0]   grant;
    wire [SW-1:0] grant_index;
    wire         grant_valid;

    lr_rr_arbiter #(
        .N (N + 1)
    ) u_arb (
        .clk         (clk),
        .rst         (rst),
        .req         (req),
        .advance     (st_q == S_IDLE),
        .grant       (grant),
        .grant_index (grant_index),
        .grant_valid (grant_valid)
    );

    // ---------------------------------------------------------------- checks
    // one spare bit so that an index of SW bits stays inside (SW bits name N+1 sources)
    wire [N:0] rx_valid_x = {1'b0, s_axis_rx_tvalid};
    wire [N:0] rx_last_x  = {1'b0, s_axis_rx_tlast};
    wire [N:0] tx_ready_x = {1'b0, m_axis_tx_tready};
    wire [7:0] rx_byte = s_axis_rx_tdata[8*src_q[SW-1:0] +: 8];
    wire       rx_beat = (st_q == S_RX) && rx_valid_x[src_q[SW-1:0]];
    wire       rx_last = rx_last_x[src_q[SW-1:0]];
    wire       csum_ok;

    lr_serial_ipsum u_ipsum (
        .clk  (clk),
        .beat (rx_beat),
        .idx  (cnt_q),
        .data (rx_byte),
        .ok   (csum_ok)
    );

    wire [4:0] early, reason;

    lr_serial_decide #(
        .MAX_FRAME_BYTES (MAX_FRAME_BYTES)
    ) u_decide (
        .w          (cnt_q),
        .w_over     (over_q),
        .fcs_ok     (crc_q == FCS_RESIDUE),
        .port_mtu   (mtu_q),
        .mac_me     (mac_eq_q),
        .dmac_group (dmac[40]),
        .et         (et),
        .b14        (b14),
        .tot        (tot),
        .ttl        (ttl),
        .csum_ok    (csum_ok),
        .src        (src),
        .dst        (dst),
        .to_me      (to_me_q),
        .lpm_hit    (hit_q),
        .adj_kind   (kind_q),
        .adj_mtu    (amtu_q),
        .early      (early),
        .reason     (reason)
    );

    // a table word against a key half: ((key ^ value) & mask) == 0; the LPM compares the value
    // word read before with the mask word now on lk_rdata, the others lk_rdata whole
    reg  [15:0] key;
    always @* begin
        if (st_q == S_LK_PORT) begin
            key = (k_q == 3'd0) ? dmac[47:32] : (k_q == 3'd1) ? dmac[31:16] : dmac[15:0];
        end else begin
            key = (k_q[2] || k_q[0]) ? dst[15:0] : dst[31:16];   // raddr word 1, LPM word 4: low half
        end
    end
    wire        lpm_st    = (st_q == S_LK_LPM);
    wire [15:0] cmp_val   = lpm_st ? val_q : lk_rdata;
    wire [15:0] cmp_mask  = lpm_st ? lk_rdata : 16'hFFFF;
    wire        word_eq   = ((key ^ cmp_val) & cmp_mask) == 16'd0;

    // ---------------------------------------------------------------- output byte
    reg  [7:0]  hdr_byte;                // punt header byte hc
    wire [7:0]  egress = hit_q ? aport_q : PORT_NONE;
    wire [15:0] lidx16 = {{(16-IXW){1'b0}}, lidx_q};
    always @* begin
        case (hc_q)
            4'd0:    hdr_byte = seq_q[31:24];
            4'd1:    hdr_byte = seq_q[23:16];
            4'd2:    hdr_byte = seq_q[15:8];
            4'd3:    hdr_byte = seq_q[7:0];
            4'd4:    hdr_byte = PUNT_VERSION;
            4'd5:    hdr_byte = {3'd0, reason_q};
            4'd6:    hdr_byte = src_q;
            4'd7:    hdr_byte = {7'd0, hit_q};
            4'd8:    hdr_byte = lidx16[15:8];
            4'd9:    hdr_byte = lidx16[7:0];
            4'd10:   hdr_byte = ladj_q[15:8];
            4'd11:   hdr_byte = ladj_q[7:0];
            4'd12:   hdr_byte = egress;
            4'd13:   hdr_byte = 8'd0;
            4'd14:   hdr_byte = len_l[15:8];
            default: hdr_byte = len_l[7:0];
        endcase
    end

    wire [7:0] buf_rdata;
    wire [7:0] fcs_byte = ~crc_q[8*fk_q +: 8];
    reg  [7:0] obyte;
    always @* begin
        if (fcs_q) begin
            obyte = fcs_byte;
        end else if (inj_q) begin
            obyte = idone_q ? 8'd0 : ib_q;
        end else if (hph_q) begin
            obyte = hdr_byte;
        end else if (indata_q) begin
            obyte = buf_rdata;
        end else begin
            obyte = 8'd0;
        end
    end
    wire ovalid = (st_q == S_TX) && (!inj_q || fcs_q || idone_q || ibv_q);
    wire olast  = cpu_q ? (!hph_q && !next_in) : (fcs_q && fk_q == 2'd3);
    wire oready = cpu_q ? m_axis_cpu_tready : tx_ready_x[oport_q[SW-1:0]];
    wire ofire  = ovalid && oready;
    wire [15:0] oidx_n = oidx_q + 16'd1;
    // one comparator: the next byte still lies before dend (indata_q: the current one does)
    wire        next_in = oidx_n < dend_q;
    // bytes sent, at the end: a punted frame stops at oidx L-1 (16+L bytes with its header);
    // a port frame enters the FCS at oidx = its bytes before the FCS (then 4 more)
    wire [15:0] tx_bytes = oidx_q + (cpu_q ? 16'd17 : 16'd4);

    genvar gq;
    generate
        for (gq = 0; gq < N_PORTS; gq = gq + 1) begin : g_out
            assign m_axis_tx_tvalid[gq]        = ovalid && !cpu_q && (oport_q == gq);
            assign m_axis_tx_tdata[8*gq +: 8]  = obyte;
            assign m_axis_tx_tkeep[gq]         = 1'b1;
            assign m_axis_tx_tlast[gq]         = olast;
            assign m_axis_tx_tuser[8*gq +: 8]  = inj_q ? PORT_NONE : src_q;
            assign s_axis_rx_tready[gq]        = (st_q == S_RX) && (src_q == gq);
        end
    endgenerate
    assign m_axis_cpu_tvalid = ovalid && cpu_q;
    assign m_axis_cpu_tdata  = obyte;
    assign m_axis_cpu_tkeep  = 1'b1;
    assign m_axis_cpu_tlast  = olast;
    assign s_axis_inject_tready = (st_q == S_INJ_HDR) || (st_q == S_INJ_DROP)
                               || ((st_q == S_TX) && inj_q && !ibv_q && !iin_q);
    wire inj_beat = s_axis_inject_tvalid && s_axis_inject_tready;

    // ---------------------------------------------------------------- CRC: checks RX, makes the FCS on TX
    wire        crc_en   = rx_beat || (ofire && !cpu_q && !fcs_q);
    wire [31:0] crc_next;
    lr_crc32 #(
        .DATA_WIDTH (8)
    ) u_crc (
        .en      (crc_en),
        .crc_in  (crc_q),
        .data    (rx_beat ? rx_byte : obyte),
        .keep    (1'b1),
        .crc_out (crc_next)
    );

    // ---------------------------------------------------------------- buffer
    reg          bw_en;
    reg  [BAW-1:0] bw_addr;
    reg  [7:0]   bw_data;
    reg          br_en;
    reg  [BAW-1:0] br_addr;

    lr_serial_buffer #(
        .AW (BAW)
    ) u_buffer (
        .clk   (clk),
        .we    (bw_en),
        .waddr (bw_addr),
        .wdata (bw_data),
        .re    (br_en),
        .raddr (br_addr),
        .rdata (buf_rdata)
    );

    // rewrite step rs: 0..11 MAC bytes (from adjacency words 1..6), 12 TTL, 13-14 checksum
    // c = u16(24) + 0x100, plus 1 when that reaches 0xFFFF (csum >= 0xFEFF): one adder
    wire        csum_wrap = (csum[15:8] == 8'hFF) || (csum == 16'hFEFF);    // csum >= 0xFEFF
    wire [15:0] csum_new  = csum + {7'd0, 1'b1, 7'd0, csum_wrap};

    // ---------------------------------------------------------------- table port
    assign lk_req = (st_q == S_LK_WAIT);
    assign lk_own = (st_q == S_LK_PORT) || (st_q == S_PRE) || (st_q == S_LK_RADDR) || (st_q == S_LK_LPM)
                 || (st_q == S_LK_ADJ) || (st_q == S_POST) || (st_q == S_RW);
    always @* begin
        lk_table = 2'd0;
        lk_index = {{(16-IXW){1'b0}}, i_q};
        lk_word  = k_q;
        case (st_q)
            S_LK_PORT:  begin lk_table = 2'd2; lk_index = {8'd0, src_q}; end
            S_LK_RADDR: lk_table = 2'd3;
            S_LK_ADJ:   begin lk_table = 2'd1; lk_index = ladj_q; end
            S_RW:       begin lk_table = 2'd1; lk_index = ladj_q; lk_word = 3'd1 + rs_q[3:1]; end
            default:    ;
        endcase
    end

    // ---------------------------------------------------------------- next state
    always @* begin
        st_d     = st_q;     src_d    = src_q;    cnt_d    = cnt_q;    over_d   = over_q;
        crc_init = 1'b0;     seq_inc  = 1'b0;
        k_d      = k_q;      ph_d     = ph_q;     i_d      = i_q;      mac_eq_d = mac_eq_q;
        mtu_d    = mtu_q;    to_me_d  = to_me_q;  half_d   = half_q;   val_d    = val_q;
        hit_d    = hit_q;    lidx_d   = lidx_q;   ladj_d   = ladj_q;   kind_d   = kind_q;
        aport_d  = aport_q;  amtu_d   = amtu_q;   reason_d = reason_q; rs_d     = rs_q;
        cpu_d    = cpu_q;    inj_d    = inj_q;    oport_d  = oport_q;  oidx_d   = oidx_q;
        dend_d   = dend_q;   fcs_d    = fcs_q;    indata_d = indata_q;    fk_d     = fk_q;
        hph_d    = hph_q;    hc_d     = hc_q;
        ib_d     = ib_q;     ibv_d    = ibv_q;    ibl_d    = ibl_q;
        iin_d    = iin_q;    idone_d  = idone_q;  hb_d     = hb_q;     ip_d     = ip_q;
        idrop_d  = idrop_q;
        ev_valid = 1'b0;     ev_index = 8'd0;     ev_delta = 16'd1;
        bw_en    = 1'b0;     bw_addr  = cnt_q[BAW-1:0];               bw_data  = rx_byte;
        br_en    = 1'b0;     br_addr  = oidx_n[BAW-1:0];

        case (st_q)
            S_IDLE: begin
                crc_init = 1'b1;
                if (grant_valid) begin
                    if (grant[N]) begin
                        st_d    = S_INJ_HDR;
                        hb_d    = 3'd0;
                        idrop_d = 1'b0;
                    end else begin
                        st_d   = S_RX;
                        src_d  = 8'd0;
                        src_d[SW-1:0] = grant_index;
                        cnt_d  = 16'd0;
                        over_d = 1'b0;
                    end
                end
            end

            S_RX: begin
                if (rx_beat) begin
                    bw_en = (cnt_q[15:BAW] == {(16-BAW){1'b0}});   // inside the buffer
                    if (cnt_q == 16'hFFFF) begin
                        over_d = 1'b1;
                    end else begin
                        cnt_d = cnt_q + 16'd1;
                    end
                    if (rx_last) begin
                        st_d = S_C_RXF;
                    end
                end
            end

            S_C_RXF: begin
                ev_valid = 1'b1;
                ev_index = {src_q[5:0], 2'd0};
                if (ev_ready) st_d = S_C_RXB;
            end

            S_C_RXB: begin
                ev_valid = 1'b1;
                ev_index = {src_q[5:0], 2'd1};
                ev_delta = cnt_q;
                if (ev_ready) st_d = S_LK_WAIT;
            end

            S_LK_WAIT: begin
                mac_eq_d = 1'b1;  to_me_d = 1'b0;  hit_d  = 1'b0;  lidx_d = {IXW{1'b0}};  ladj_d = 16'd0;
                kind_d   = 2'd0;  aport_d = 8'd0;  amtu_d = 16'd0; k_d    = 3'd0;   ph_d   = 1'b0;
                if (lk_gnt) st_d = S_LK_PORT;
            end

            S_LK_PORT: begin                           // mac words 0-2, mtu
                ph_d = !ph_q;
                if (ph_q) begin
                    if (k_q == 3'd3) begin
                        mtu_d = lk_rdata;
                        st_d  = S_PRE;
                    end else begin
                        mac_eq_d = mac_eq_q && word_eq;
                        k_d      = k_q + 3'd1;
                    end
                end
            end

            S_PRE: begin                               // rules 1-10
                i_d  = {IXW{1'b0}};
                k_d  = 3'd0;
                ph_d = 1'b0;
                if (early != R_FORWARD) begin
                    reason_d = early;
                    st_d     = S_C_REASON;
                end else begin
                    st_d = S_LK_RADDR;
                end
            end

            S_LK_RADDR: begin                          // rule 12: a valid entry equal to dst
                if (i_q == RADDR_ENTRIES[IXW-1:0] || to_me_q) begin
                    st_d = S_LK_LPM;
                    i_d  = {IXW{1'b0}};
                    k_d  = 3'd0;
                    ph_d = 1'b0;
                end else if (!raddr_valid[i_q[RAW-1:0]]) begin
                    i_d = i_q + 1'b1;
                end else begin
                    ph_d = !ph_q;
                    if (ph_q) begin
                        if (k_q == 3'd0) begin
                            half_d = word_eq;
                            k_d    = 3'd1;
                        end else begin
                            to_me_d = half_q && word_eq;
                            k_d     = 3'd0;
                            i_d     = i_q + 1'b1;
                        end
                    end
                end
            end

            S_LK_LPM: begin                            // lowest matching valid entry
                if (i_q == LPM_ENTRIES[IXW-1:0]) begin
                    st_d = S_LK_ADJ;                   // a miss: hit stays 0
                    k_d  = 3'd0;
                    ph_d = 1'b0;
                end else begin
                    ph_d = !ph_q;
                    if (ph_q) begin
                        k_d = k_q + 3'd1;
                        case (k_q)
                            3'd0: if (!lk_rdata[0]) begin k_d = 3'd0; i_d = i_q + 1'b1; end
                            3'd1, 3'd3: val_d = lk_rdata;
                            3'd2, 3'd4: if (!word_eq) begin k_d = 3'd0; i_d = i_q + 1'b1; end
                            default: begin
                                hit_d  = 1'b1;
                                lidx_d = i_q;
                                ladj_d = lk_rdata;
                                k_d    = 3'd0;
                                st_d   = S_LK_ADJ;
                            end
                        endcase
                    end
                end
            end

            S_LK_ADJ: begin                            // kind and port (word 0), mtu (word 7)
                if (!hit_q || ladj_q >= ADJ_ENTRIES[15:0]) begin
                    st_d = S_POST;                     // an all-zero row
                end else begin
                    ph_d = !ph_q;
                    if (ph_q) begin
                        if (k_q == 3'd0) begin
                            kind_d  = lk_rdata[1:0];
                            aport_d = lk_rdata[15:8];
                            k_d     = 3'd7;
                        end else begin
                            amtu_d = lk_rdata;
                            st_d   = S_POST;
                        end
                    end
                end
            end

            S_POST: begin                              // rules 11-21
                reason_d = reason;
                rs_d     = 4'd0;
                ph_d     = 1'b0;
                st_d     = (reason == R_FORWARD && aport_q < NP) ? S_RW : S_C_REASON;
            end

            S_RW: begin                                // MACs, TTL, checksum into the buffer
                if (rs_q < 4'd12) begin
                    ph_d = !ph_q;
                    if (ph_q) begin
                        bw_en   = 1'b1;
                        bw_addr = {{(BAW-4){1'b0}}, rs_q};
                        bw_data = rs_q[0] ? lk_rdata[7:0] : lk_rdata[15:8];
                        rs_d    = rs_q + 4'd1;
                    end
                end else begin
                    bw_en = 1'b1;
                    rs_d  = rs_q + 4'd1;
                    case (rs_q)
                        4'd12:   begin bw_addr = B22; bw_data = ttl - 8'd1;     end
                        4'd13:   begin bw_addr = B24; bw_data = csum_new[15:8]; end
                        default: begin bw_addr = B25; bw_data = csum_new[7:0];  st_d = S_C_REASON; end
                    endcase
                end
            end

            S_C_REASON: begin
                ev_valid = 1'b1;
                ev_index = CB + {3'd0, reason_q};
                if (ev_ready) begin
                    oidx_d = 16'd0;
                    hph_d  = 1'b0;
                    hc_d   = 4'd0;
                    dend_d = 16'd14 + tot;
                    cpu_d  = 1'b0;
                    inj_d  = 1'b0;
                    oport_d = aport_q;
                    if (reason_q != R_FORWARD && reason_q < R_FIRST_DROP) begin
                        cpu_d  = 1'b1;
                        hph_d  = 1'b1;
                        dend_d = len_l;
                        st_d   = S_TX_PRIME;
                    end else if (reason_q == R_FORWARD && aport_q < NP) begin
                        st_d = S_TX_PRIME;
                    end else begin
                        st_d = S_IDLE;
                    end
                end
            end

            S_TX_PRIME: begin
                br_en  = 1'b1;
                br_addr = oidx_q[BAW-1:0];
                crc_init = 1'b1;
                indata_d = 1'b1;                       // byte 0 < dend
                fcs_d  = 1'b0;
                fk_d   = 2'd0;
                st_d   = S_TX;
            end

            S_TX: begin
                if (inj_q && inj_beat) begin
                    ib_d  = s_axis_inject_tdata;
                    ibv_d = 1'b1;
                    ibl_d = s_axis_inject_tlast;
                    iin_d = s_axis_inject_tlast;
                end
                if (ofire) begin
                    indata_d = next_in;
                    if (fcs_q) begin
                        fk_d = fk_q + 2'd1;
                        if (fk_q == 2'd3) st_d = S_C_OUTF;
                    end else if (hph_q) begin
                        hc_d  = hc_q + 4'd1;
                        hph_d = (hc_q != 4'd15);
                        indata_d = 1'b1;
                    end else if (cpu_q) begin
                        if (olast) begin
                            st_d = S_C_OUTF;
                        end else begin
                            oidx_d = oidx_n;
                            br_en  = 1'b1;
                        end
                    end else begin
                        oidx_d = oidx_n;
                        br_en  = 1'b1;
                        if (inj_q && !idone_q) begin
                            ibv_d   = 1'b0;
                            idone_d = ibl_q;
                        end
                        if ((inj_q ? (idone_q || ibl_q) : !next_in) && oidx_n >= 16'd60) begin
                            fcs_d = 1'b1;
                        end
                    end
                end
            end

            S_C_OUTF: begin
                ev_valid = 1'b1;
                ev_index = cpu_q ? CPU0 : {oport_q[5:0], 2'd2};
                if (ev_ready) st_d = S_C_OUTB;
            end

            S_C_OUTB: begin
                ev_valid = 1'b1;
                ev_index = cpu_q ? CPU0 + 8'd1 : {oport_q[5:0], 2'd3};
                ev_delta = tx_bytes;
                if (ev_ready) begin
                    seq_inc = cpu_q;
                    st_d = inj_q ? S_C_INJF : S_IDLE;
                end
            end

            S_INJ_HDR: begin
                if (inj_beat) begin
                    hb_d = hb_q + 3'd1;
                    if (hb_q == 3'd1) ip_d = s_axis_inject_tdata;
                    if (s_axis_inject_tlast) begin
                        idrop_d = 1'b1;                // no frame after the header
                        st_d    = S_C_INJF;
                    end else if (hb_q == 3'd7) begin
                        if (ip_q >= NP) begin
                            idrop_d = 1'b1;            // no such port
                            st_d    = S_INJ_DROP;
                        end else begin
                            cpu_d   = 1'b0;
                            inj_d   = 1'b1;
                            oport_d = ip_q;
                            oidx_d  = 16'd0;
                            dend_d  = 16'd0;
                            hph_d   = 1'b0;
                            ibv_d   = 1'b0;
                            iin_d   = 1'b0;
                            idone_d = 1'b0;
                            crc_init = 1'b1;
                            fcs_d   = 1'b0;
                            fk_d    = 2'd0;
                            st_d    = S_TX;
                        end
                    end
                end
            end

            S_INJ_DROP: begin
                if (inj_beat && s_axis_inject_tlast) st_d = S_C_INJF;
            end

            S_C_INJF: begin
                ev_valid = 1'b1;
                ev_index = CPU0 + 8'd2;
                if (ev_ready) st_d = idrop_q ? S_C_INJD : S_IDLE;
            end

            S_C_INJD: begin
                ev_valid = 1'b1;
                ev_index = CPU0 + 8'd3;
                if (ev_ready) st_d = S_IDLE;
            end

            default: st_d = S_IDLE;
        endcase
    end

    // ---------------------------------------------------------------- registers
    always @(posedge clk) begin
        src_q <= src_d;     cnt_q <= cnt_d;     over_q <= over_d;
        if (crc_init) begin
            crc_q <= 32'hFFFFFFFF;
        end else if (crc_en) begin
            crc_q <= crc_next;
        end
        k_q <= k_d;         ph_q <= ph_d;       i_q <= i_d;           mac_eq_q <= mac_eq_d;
        mtu_q <= mtu_d;     to_me_q <= to_me_d; half_q <= half_d;     val_q <= val_d;
        hit_q <= hit_d;     lidx_q <= lidx_d;   ladj_q <= ladj_d;     kind_q <= kind_d;
        aport_q <= aport_d; amtu_q <= amtu_d;   reason_q <= reason_d; rs_q <= rs_d;
        cpu_q <= cpu_d;     inj_q <= inj_d;     oport_q <= oport_d;   oidx_q <= oidx_d;
        hph_q <= hph_d;     hc_q <= hc_d;
        dend_q <= dend_d;   fcs_q <= fcs_d;     indata_q <= indata_d;     fk_q <= fk_d;
        ib_q <= ib_d;       ibv_q <= ibv_d;     ibl_q <= ibl_d;       iin_q <= iin_d;
        idone_q <= idone_d; hb_q <= hb_d;       ip_q <= ip_d;         idrop_q <= idrop_d;
        if (rx_beat && hdr_keep) begin
            hdr_q <= {hdr_q[167:0], rx_byte};
        end
        if (rst) begin
            st_q  <= S_IDLE;
            seq_q <= 32'd0;
        end else begin
            st_q  <= st_d;
            if (seq_inc) begin
                seq_q <= seq_q + 32'd1;
            end
        end
    end

    assign stat_idle = (st_q == S_IDLE) && cnt_idle;

    wire unused_serial = ^{s_axis_rx_tkeep, s_axis_inject_tkeep};

endmodule

`default_nettype wire
