// lr_rv32: a small multi-cycle RV32I core for the board's management processor (iCE40-sized).
`default_nettype none

// What it is
//   The full RV32I base ISA (all 37 computational, memory and control instructions plus FENCE as
//   a no-op), executed one instruction at a time by a small state machine. RV32I and not RV32E:
//   the register file lives in block RAM either way (32 x 32 bits fill two SB_RAM40_4K exactly as
//   16 x 32 would, and the address width is the same 5 bits), so the 16 extra registers cost
//   nothing, and a standard toolchain (rv32i/ilp32) compiles for it.
//
// What it leaves out (the management core's first step; see rtl/mgmt/README.md)
//   No M or C extension, no Zicsr (no CSRs at all), no privilege modes, no interrupts. ECALL,
//   EBREAK, every illegal or unsupported encoding (CSR instructions, FENCE.I, ...), a misaligned
//   load or store, and a taken jump or branch to an address that is not 4-byte aligned raise
//   `trap` and halt the core until `rst`; the trapping instruction is reported on the retire
//   trace with ret_trap and changes no architectural state. Misaligned accesses are not split.
//
// Cycles (W = wait states the memory adds to an access)
//   fetch 1+W, then: LUI, AUIPC, JAL, FENCE 1; ALU, JALR 2; branches 3 (taken or not: the
//   comparison gets a clock of its own); load, store 2+W; shifts 3 + the shift amount (one bit
//   per clock).
//
// Datapath
//   One 32-bit adder serves everything: fetch address (pc + 0), AUIPC/JAL/branch targets
//   (pc + imm), load/store addresses and JALR (rs1 + imm), ADD/SUB and the comparisons (a - b).
//   pc + 4 has its own incrementer (the link value and the sequential pc). The instruction is
//   decoded as it arrives on mem_rdata: its class flags and its immediate (inverted for
//   SLTI/SLTIU, which subtract it) go to registers beside it, so decoding adds no logic in front
//   of the adder. The result reaches the register file through one 4-way multiplexer (sum, logic
//   unit, pc + 4, load data), SLT/SLTU putting the comparison on bit 0. The register file is
//   one memory with a write port and one registered read port (two SB_RAM40_4K): rs1 is read at
//   the edge that latches the fetched instruction (its address comes straight off mem_rdata) and
//   held in a_q; rs2 is read in the next clock and used from the RAM's output register, which
//   keeps it while the instruction completes. x0 reads zero because rst writes 0 to it and no
//   instruction writes it afterwards. The RAM is never read at an address it is writing in a
//   clock whose read data is used (no_rw_check). The other registers are undefined after reset,
//   as RISC-V allows.
//
// Memory bus
//   One request at a time: mem_valid with mem_addr (word address: bits 1:0 are zero), mem_we,
//   mem_wstrb (byte lanes, meaningful with mem_we) and mem_wdata (a byte or halfword store
//   repeats its data on every lane) stay steady until the clock in which mem_ready is high; a load's
//   mem_rdata is taken in that clock. mem_ready may be high in the same clock as mem_valid (no wait
//   state) or any number of clocks later; it is ignored while mem_valid is low. mem_valid, trap
//   and ret_valid are low during rst: a reset drops a request under way.
//
// Retire trace
//   In the last clock of each instruction ret_valid is high with the instruction's pc and word,
//   the register written (ret_rd, 0 for none) and its value, and for a load or store the byte
//   address, the byte lanes read or written and the word on the bus. Every ret_* output is a wire
//   of state the core has anyway (a few gates at most), so leaving them unconnected costs nothing.
module lr_rv32 #(
    parameter [31:0] RESET_PC = 32'h0000_0000  // first instruction fetched after rst (4-byte aligned)
) (
    input  wire        clk,
    input  wire        rst,            // synchronous, active high; hold at least one clock

    // memory bus (instructions and data)
    output wire        mem_valid,
    output wire        mem_we,
    output wire [3:0]  mem_wstrb,
    output wire [31:0] mem_addr,
    output wire [31:0] mem_wdata,
    input  wire        mem_ready,
    input  wire [31:0] mem_rdata,

    // status
    output wire        trap,           // halted by a trap, until rst

    // retire trace (for tests)
    output wire        ret_valid,      // an instruction completes in this clock
    output wire        ret_trap,       // ... by trapping (nothing written, no access made)
    output wire [31:0] ret_pc,
    output wire [31:0] ret_insn,
    output wire [4:0]  ret_rd,         // register written, 0 for none
    output wire [31:0] ret_rd_wdata,   // its new value (meaningful when ret_rd != 0)
    output wire [31:0] ret_mem_addr,   // byte address of a load or store
    output wire [3:0]  ret_mem_rmask,  // byte lanes loaded (0 for no load)
    output wire [3:0]  ret_mem_wmask,  // byte lanes stored (0 for no store)
    output wire [31:0] ret_mem_rdata,  // the word read (lanes in ret_mem_rmask)
    output wire [31:0] ret_mem_wdata   // the word written (lanes in ret_mem_wmask)
);

    generate
        if (RESET_PC[1:0] != 2'b00) begin : g_bad_reset_pc
            $error("%m: lr_rv32 RESET_PC must be 4-byte aligned");
        end
    endgenerate

    localparam [2:0] S_FETCH  = 3'd0,  // read the instruction at pc; rs1 read as it arrives
                     S_DECODE = 3'd1,  // rs1 into a_q, rs2 read; LUI/AUIPC/JAL/FENCE complete
                     S_EXEC   = 3'd2,  // ALU, JALR, branch compare; a shift loads its count
                     S_SHIFT  = 3'd3,  // one bit per clock until the count is 0
                     S_MEM    = 3'd4,  // load or store at rs1 + imm
                     S_BRANCH = 3'd5,  // branch: pc + imm if taken, else pc + 4
                     S_HALT   = 3'd6;  // trapped

    reg [2:0]  state_q, state_d;
    reg [31:0] ir_q, ir_d;       // the instruction
    reg [29:0] pc_q, pc_d;       // pc bits 31:2
    reg [31:0] a_q, a_d;         // rs1; shifted in place
    reg [4:0]  cnt_q, cnt_d;     // shift bits left
    reg        taken_q, taken_d; // the branch is taken
    reg [31:0] imm_q, imm_d;     // the immediate (inverted for SLTI/SLTIU: the adder subtracts it)
    reg [14:0] dec_q, dec_d;     // the instruction's class, decoded as it arrives

    // register file: one write port, one registered read port
    (* no_rw_check *) reg [31:0] rf [0:31];
    reg [31:0] rf_rdata_q;
    reg        rf_we;
    reg [4:0]  rf_waddr;
    reg [31:0] rf_wdata;
    wire [4:0] rf_raddr = (state_q == S_FETCH) ? mem_rdata[19:15] : ir_q[24:20];
    wire [31:0] rs2 = rf_rdata_q;   // after S_DECODE

    // ---- decode, from mem_rdata in the clock the instruction arrives ----
    wire [31:0] in      = mem_rdata;
    wire [4:0]  in_opc  = in[6:2];
    wire [2:0]  in_f3   = in[14:12];
    wire        in_lui    = (in_opc == 5'b01101);
    wire        in_auipc  = (in_opc == 5'b00101);
    wire        in_jal    = (in_opc == 5'b11011);
    wire        in_jalr   = (in_opc == 5'b11001);
    wire        in_branch = (in_opc == 5'b11000);
    wire        in_load   = (in_opc == 5'b00000);
    wire        in_store  = (in_opc == 5'b01000);
    wire        in_opimm  = (in_opc == 5'b00100);
    wire        in_op     = (in_opc == 5'b01100);
    wire        in_fence  = (in_opc == 5'b00011);
    wire        in_f7zero = (in[31:25] == 7'b0000000);
    wire        in_f7alt  = (in[31:25] == 7'b0100000);
    wire        in_alu    = in_op | in_opimm;
    wire        in_slt    = in_alu & (in_f3[2:1] == 2'b01);
    // SYSTEM (ECALL, EBREAK, CSR instructions) is not listed, so it traps with the rest
    wire in_legal = (in[1:0] == 2'b11) & (
                     in_lui | in_auipc | in_jal
                   | (in_jalr & (in_f3 == 3'b000))
                   | (in_branch & (in_f3[2:1] != 2'b01))
                   | (in_load & (in_f3 != 3'b011) & (in_f3[2:1] != 2'b11))
                   | (in_store & !in_f3[2] & (in_f3[1:0] != 2'b11))
                   | (in_opimm & ((in_f3[1:0] != 2'b01) | in_f7zero | (in_f3[2] & in_f7alt)))
                   | (in_op & (in_f7zero | (in_f7alt & ((in_f3 == 3'b000) | (in_f3 == 3'b101)))))
                   | (in_fence & (in_f3 == 3'b000)));

    // immediate of the instruction's format, field by field
    wire in_imm_u = in_lui | in_auipc;
    wire in_imm_j = in_jal;
    wire in_imm_s = in_store;
    wire in_imm_b = in_branch;
    wire in_imm_i = !(in_imm_u | in_imm_j | in_imm_s | in_imm_b);
    wire [31:0] in_imm;
    assign in_imm[0]     = in_imm_i ? in[20] : (in_imm_s & in[7]);
    assign in_imm[4:1]   = (in_imm_i | in_imm_j) ? in[24:21] : (in_imm_s | in_imm_b) ? in[11:8] : 4'b0000;
    assign in_imm[10:5]  = in_imm_u ? 6'b000000 : in[30:25];
    assign in_imm[11]    = in_imm_u ? 1'b0 : in_imm_b ? in[7] : in_imm_j ? in[20] : in[31];
    assign in_imm[19:12] = (in_imm_u | in_imm_j) ? in[19:12] : {8{in[31]}};
    assign in_imm[30:20] = in_imm_u ? in[30:20] : {11{in[31]}};
    assign in_imm[31]    = in[31];

    // the logic unit's operation: XOR, OR, AND, or 0 (SLT/SLTU: the comparison goes to bit 0)
    localparam [1:0] L_XOR = 2'd0, L_OR = 2'd1, L_AND = 2'd2, L_ZERO = 2'd3;
    wire [1:0] in_lop = !in_f3[2] ? L_ZERO : !in_f3[1] ? L_XOR : in_f3[0] ? L_AND : L_OR;

    localparam D_LEGAL = 0, D_UPPER = 1, D_JAL = 2, D_JALR = 3, D_BRANCH = 4, D_MEM = 5,
               D_STORE = 6, D_OP = 7, D_SHIFT = 8, D_SLT = 9, D_SUB = 10, D_FENCE = 11,
               D_LOGIC = 12, D_LOP = 13;
    wire [14:0] in_dec;
    assign in_dec[D_LEGAL]  = in_legal;
    assign in_dec[D_UPPER]  = in_imm_u;                   // LUI, AUIPC
    assign in_dec[D_JAL]    = in_jal;
    assign in_dec[D_JALR]   = in_jalr;
    assign in_dec[D_BRANCH] = in_branch;
    assign in_dec[D_MEM]    = in_load | in_store;
    assign in_dec[D_STORE]  = in_store;
    assign in_dec[D_OP]     = in_op;                      // register-register ALU
    assign in_dec[D_SHIFT]  = in_alu & (in_f3[1:0] == 2'b01);
    assign in_dec[D_SLT]    = in_slt;
    assign in_dec[D_SUB]    = in_branch | in_slt | (in_op & (in_f3 == 3'b000) & in[30]);
    assign in_dec[D_FENCE]  = in_fence;
    assign in_dec[D_LOGIC]  = in_alu & (in_f3[2] ? (in_f3[1:0] != 2'b01) : in_f3[1]);  // and SLT
    assign in_dec[D_LOP+1:D_LOP] = in_lop;

    wire [2:0] f3       = ir_q[14:12];
    wire [4:0] rd       = ir_q[11:7];
    wire is_legal       = dec_q[D_LEGAL];
    wire is_upper       = dec_q[D_UPPER];
    wire is_auipc       = is_upper & !ir_q[5];   // LUI has bit 5 set
    wire is_jal         = dec_q[D_JAL];
    wire is_jalr        = dec_q[D_JALR];
    wire is_branch      = dec_q[D_BRANCH];
    wire is_mem         = dec_q[D_MEM];
    wire is_store       = dec_q[D_STORE];
    wire is_load        = is_mem & !is_store;
    wire is_op          = dec_q[D_OP];
    wire is_shift       = dec_q[D_SHIFT];
    wire is_slt         = dec_q[D_SLT];
    wire is_sub         = dec_q[D_SUB];
    wire is_fence       = dec_q[D_FENCE];
    wire is_logic       = dec_q[D_LOGIC];
    wire [1:0] lop      = dec_q[D_LOP+1:D_LOP];

    // ---- the adder and the ALU ----
    // a: rs1 (a_q), pc or 0; b: 0, imm, rs2 or ~rs2 (with a carry in: a - rs2). All 0 in rst, so
    // the sum is the 0 that rst writes to x0.
    wire st_fetch  = !rst & (state_q == S_FETCH);
    wire st_decode = !rst & (state_q == S_DECODE);
    wire st_exec   = !rst & (state_q == S_EXEC);
    wire st_mem    = !rst & (state_q == S_MEM);
    wire st_shift  = !rst & (state_q == S_SHIFT);
    wire st_branch = !rst & (state_q == S_BRANCH);
    wire use_a     = st_exec | st_mem | st_shift;
    wire use_pc    = st_fetch | st_branch | (st_decode & (is_jal | is_auipc));
    wire use_rs2   = st_exec & (is_op | is_branch);
    wire use_imm   = st_decode | st_mem | st_branch | (st_exec & !(is_op | is_branch));
    wire sub       = st_exec & is_sub;

    wire [31:0] opa = (a_q & {32{use_a}}) | ({pc_q, 2'b00} & {32{use_pc}});
    wire        b_x = use_rs2 ? sub : use_imm;            // two selects: one LUT per bit
    wire [31:0] opb = use_rs2 ? (rs2 ^ {32{b_x}}) : (imm_q & {32{b_x}});
    wire [32:0] sum = {1'b0, opa} + {1'b0, opb} + {32'd0, sub};

    wire eq  = (sum[31:0] == 32'd0);
    wire ltu = !sum[32];                                  // a - b borrowed
    wire lt  = (opa[31] == opb[31]) ? opa[31] : ltu;      // opb is ~b here
    wire taken = (f3[2] ? (f3[1] ? ltu : lt) : eq) ^ f3[0];
    reg  [31:0] logic_r;
    always @* begin
        case (lop)
            L_XOR:   logic_r = opa ^ opb;
            L_OR:    logic_r = opa | opb;
            L_AND:   logic_r = opa & opb;
            default: logic_r = 32'd0;
        endcase
    end
    wire [29:0] pc_inc = pc_q + 30'd1;

    // ---- loads and stores ----
    wire [1:0] off = sum[1:0];
    wire misaligned = f3[1] ? (off != 2'b00) : (f3[0] & off[0]);
    wire [3:0] mask = f3[1] ? 4'b1111 : f3[0] ? (off[1] ? 4'b1100 : 4'b0011) : (4'b0001 << off);
    wire [7:0] ld_b  = off[1] ? (off[0] ? mem_rdata[31:24] : mem_rdata[23:16])
                              : (off[0] ? mem_rdata[15:8] : mem_rdata[7:0]);
    wire [7:0] ld_h1 = off[1] ? mem_rdata[31:24] : mem_rdata[15:8];
    wire ld_sign     = !f3[2] & (f3[0] ? ld_h1[7] : ld_b[7]);
    wire [31:0] ld_data = f3[1] ? mem_rdata : f3[0] ? {{16{ld_sign}}, ld_h1, ld_b} : {{24{ld_sign}}, ld_b};

    // ---- control ----
    reg       done;        // the instruction completes in this clock
    reg       trap_now;    // ... by trapping
    reg       wb;          // ... writing rd
    reg       jump;        // next pc is sum, not pc + 4

    always @* begin
        state_d  = state_q;
        ir_d     = ir_q;
        pc_d     = pc_q;
        a_d      = a_q;
        cnt_d    = cnt_q;
        taken_d  = taken_q;
        imm_d    = imm_q;
        dec_d    = dec_q;
        done     = 1'b0;
        trap_now = 1'b0;
        wb       = 1'b0;
        jump     = 1'b0;
        case (state_q)
            S_FETCH: begin
                if (mem_ready) begin
                    ir_d    = mem_rdata;
                    imm_d   = in_slt ? ~in_imm : in_imm;
                    dec_d   = in_dec;
                    state_d = S_DECODE;
                end
            end
            S_DECODE: begin
                a_d = rf_rdata_q;
                if (!is_legal || (is_jal && ir_q[21])) begin
                    trap_now = 1'b1;
                end else if (is_upper || is_fence) begin
                    done = 1'b1;
                    wb   = !is_fence;
                end else if (is_jal) begin
                    done = 1'b1;
                    wb   = 1'b1;
                    jump = 1'b1;
                end else if (is_mem) begin
                    state_d = S_MEM;
                end else begin
                    state_d = S_EXEC;
                end
            end
            S_EXEC: begin
                if (is_shift) begin
                    cnt_d   = opb[4:0];
                    state_d = S_SHIFT;
                end else if (is_branch) begin
                    taken_d = taken;
                    state_d = S_BRANCH;
                end else if (is_jalr) begin
                    if (sum[1]) begin
                        trap_now = 1'b1;
                    end else begin
                        done = 1'b1;
                        wb   = 1'b1;
                        jump = 1'b1;
                    end
                end else begin
                    done = 1'b1;
                    wb   = 1'b1;
                end
            end
            S_SHIFT: begin
                if (cnt_q == 5'd0) begin
                    done = 1'b1;
                    wb   = 1'b1;
                end else begin
                    cnt_d = cnt_q - 5'd1;
                    a_d   = f3[2] ? {ir_q[30] & a_q[31], a_q[31:1]} : {a_q[30:0], 1'b0};
                end
            end
            S_MEM: begin
                if (misaligned) begin
                    trap_now = 1'b1;
                end else if (mem_ready) begin
                    done = 1'b1;
                    wb   = is_load;
                end
            end
            S_BRANCH: begin
                if (taken_q && ir_q[8]) begin
                    trap_now = 1'b1;
                end else begin
                    done = 1'b1;
                    jump = taken_q;
                end
            end
            S_HALT: begin
            end
            default: begin
                state_d = S_HALT;
            end
        endcase
        if (trap_now) begin
            done    = 1'b1;
            wb      = 1'b0;
            state_d = S_HALT;
        end else if (done) begin
            pc_d    = jump ? sum[31:2] : pc_inc;
            state_d = S_FETCH;
        end
        // the register file's write port: x0 := 0 during rst, rd := result on completion
        rf_we    = rst || (wb && (rd != 5'd0));
        rf_waddr = rst ? 5'd0 : rd;
    end

    // the result: sum, logic unit (and SLT), link (pc + 4) or load data, by two selects
    wire res_link  = (st_decode & is_jal) | (st_exec & is_jalr);
    wire res_logic = st_exec & is_logic;
    wire res_slt   = st_exec & is_slt;
    always @* begin
        case ({st_mem | res_link, st_mem | res_logic})
            2'b00:   rf_wdata = sum[31:0];
            2'b01:   rf_wdata = logic_r;
            2'b10:   rf_wdata = {pc_inc, 2'b00};
            default: rf_wdata = ld_data;
        endcase
        if (res_slt) begin
            rf_wdata[0] = f3[0] ? ltu : lt;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            state_q <= S_FETCH;
            pc_q    <= RESET_PC[31:2];
        end else begin
            state_q <= state_d;
            pc_q    <= pc_d;
        end
        ir_q    <= ir_d;
        imm_q   <= imm_d;
        dec_q   <= dec_d;
        a_q     <= a_d;
        cnt_q   <= cnt_d;
        taken_q <= taken_d;
    end

    always @(posedge clk) begin
        if (rf_we) begin
            rf[rf_waddr] <= rf_wdata;
        end
        rf_rdata_q <= rf[rf_raddr];
    end

    // ---- outputs ----
    // in rst: no request (a reset drops one under way), no retirement, trap low
    assign mem_valid = st_fetch | (st_mem & !misaligned);
    assign mem_we    = st_mem & is_store;
    assign mem_wstrb = mask;
    assign mem_addr  = {sum[31:2], 2'b00};
    assign mem_wdata = f3[1] ? rs2 : f3[0] ? {2{rs2[15:0]}} : {4{rs2[7:0]}};
    assign trap      = !rst & (state_q == S_HALT);

    assign ret_valid     = !rst & done;
    assign ret_trap      = !rst & trap_now;
    assign ret_pc        = {pc_q, 2'b00};
    assign ret_insn      = ir_q;
    assign ret_rd        = wb ? rd : 5'd0;
    assign ret_rd_wdata  = rf_wdata;
    assign ret_mem_addr  = sum[31:0];
    assign ret_mem_rmask = mask & {4{st_mem & is_load & !misaligned}};
    assign ret_mem_wmask = mask & {4{st_mem & is_store & !misaligned}};
    assign ret_mem_rdata = mem_rdata;
    assign ret_mem_wdata = mem_wdata;

endmodule

`default_nettype wire
