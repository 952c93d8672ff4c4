// lr_defs.vh: constants of the IPv4 fast path (rtl/core/README.md); included inside module bodies.
// Plain localparam lines only: this file may later be generated from the register/reason description.

// Reason codes (one space for punts and drops; also the reason counter index)
localparam [4:0] R_FORWARD              = 5'd0;
localparam [4:0] R_ARP                  = 5'd1;
localparam [4:0] R_TO_ME                = 5'd2;
localparam [4:0] R_TTL_EXPIRED          = 5'd3;
localparam [4:0] R_IP_OPTIONS           = 5'd4;
localparam [4:0] R_NO_ROUTE             = 5'd5;
localparam [4:0] R_GLEAN                = 5'd6;
localparam [4:0] R_MTU_EXCEEDED         = 5'd7;
localparam [4:0] R_MULTICAST            = 5'd8;
localparam [4:0] R_IPV6                 = 5'd9;
localparam [4:0] R_NON_IP               = 5'd10;
localparam [4:0] R_VLAN                 = 5'd11;
localparam [4:0] R_BAD_FCS              = 5'd12;
localparam [4:0] R_RUNT                 = 5'd13;
localparam [4:0] R_GIANT                = 5'd14;
localparam [4:0] R_BAD_IP_HEADER        = 5'd15;
localparam [4:0] R_BAD_IP_CHECKSUM      = 5'd16;
localparam [4:0] R_WRONG_DST_MAC        = 5'd17;
localparam [4:0] R_L2_BROADCAST_TRANSIT = 5'd18;
localparam [4:0] R_MARTIAN              = 5'd19;
localparam [4:0] R_BLACKHOLE            = 5'd20;
localparam [4:0] R_PUNT_POLICED         = 5'd21;
localparam [4:0] R_FIRST_DROP           = 5'd12; // codes R_ARP..R_VLAN punt, R_FIRST_DROP.. drop

// Adjacency kinds (an empty row is glean)
localparam [1:0] ADJ_GLEAN              = 2'd0;
localparam [1:0] ADJ_FORWARD            = 2'd1;
localparam [1:0] ADJ_BLACKHOLE          = 2'd2;

// Ethertypes
localparam [15:0] ET_IPV4               = 16'h0800;
localparam [15:0] ET_ARP                = 16'h0806;
localparam [15:0] ET_VLAN               = 16'h8100;
localparam [15:0] ET_QINQ               = 16'h88A8;
localparam [15:0] ET_IPV6               = 16'h86DD;

// Frame sizes and wire formats
localparam integer MIN_FRAME_BYTES      = 64;    // W below this: runt
localparam integer MIN_PAYLOAD_BYTES    = 60;    // FCS insert pads to this length
localparam integer HDR_FIELD_BYTES      = 34;    // the parser reads bytes 0..33 (up to dst)
localparam integer HDR_CSUM_END         = 74;    // the checksum reads at most bytes 14..73 (ihl 15)
localparam integer PUNT_HDR_BYTES       = 16;    // punt header on the CPU stream
localparam integer INJECT_HDR_BYTES     = 8;     // inject header on the inject stream
localparam [7:0]   PUNT_VERSION         = 8'd1;
localparam [7:0]   PORT_NONE            = 8'd255; // egress on LPM miss; tuser of injected frames
localparam [31:0]  FCS_RESIDUE          = 32'hDEBB20E3; // CRC register after frame + good FCS

// Header record (ingress -> lookup): one word per frame, the parsed fields (lr_parser), the
// checksum verdict (lr_ip_checksum), W and the FCS verdict; multi-byte fields big-endian.
localparam integer HREC_DMAC_LSB        = 0;    // [47:0] b[0..6), b[0] in [47:40]
localparam integer HREC_CLASS_LSB       = 48;   // [3:0] {is_ipv4, is_ipv6, is_arp, is_vlan} from et
localparam integer HREC_IHL_LSB         = 52;   // [3:0] ihl = b[14]&15
localparam integer HREC_VER_LSB         = 56;   // [3:0] ver = b[14]>>4
localparam integer HREC_TOT_LSB         = 60;   // [15:0] tot = u16(16)
localparam integer HREC_TTL_LSB         = 76;   // [7:0] ttl = b[22]
localparam integer HREC_CSUM_LSB        = 84;   // [15:0] u16(24), the header checksum as received
localparam integer HREC_SRC_LSB         = 100;  // [31:0] src = u32(26)
localparam integer HREC_DST_LSB         = 132;  // [31:0] dst = u32(30)
localparam integer HREC_LEN_LSB         = 164;  // [31:0] W, bytes received including FCS
localparam integer HREC_FCS_OK_BIT      = 196;  // FCS good (rule 3)
localparam integer HREC_CSUM_OK_BIT     = 197;  // header words sum to 0xFFFF (rule 10)
localparam integer HREC_WIDTH           = 198;

// Result record (lookup -> rewrite)
localparam [1:0]   ACT_DROP             = 2'd0;
localparam [1:0]   ACT_FORWARD          = 2'd1;
localparam [1:0]   ACT_PUNT             = 2'd2;
localparam integer RES_ACT_LSB          = 0;    // [1:0] action
localparam integer RES_REASON_LSB       = 2;    // [4:0] reason code
localparam integer RES_IN_PORT_LSB      = 7;    // [7:0] ingress port
localparam integer RES_EGRESS_LSB       = 15;   // [7:0] adjacency port, 255 on miss / before LPM
localparam integer RES_HIT_BIT          = 23;   // LPM hit
localparam integer RES_LPM_IDX_LSB      = 24;   // [15:0] LPM index (0 on miss)
localparam integer RES_ADJ_IDX_LSB      = 40;   // [15:0] adjacency index (0 on miss)
localparam integer RES_LEN_LSB          = 56;   // [15:0] L, frame length without FCS
localparam integer RES_OUT_LEN_LSB      = 72;   // [15:0] bytes to send: 14+tot (forward) or L (punt)
localparam integer RES_DMAC_LSB         = 88;   // [47:0] adj.dmac
localparam integer RES_SMAC_LSB         = 136;  // [47:0] adj.smac
localparam integer RES_TTL_LSB          = 184;  // [7:0] ttl as received
localparam integer RES_CSUM_LSB         = 192;  // [15:0] u16(24) as received
localparam integer RES_WIDTH            = 208;
