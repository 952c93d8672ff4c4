// vmod.cpp: evaluates single Verilated modules for their Go tests (see vmod.h).
#include "vmod.h"

#include <cstring>

#include "Vlr_crc32.h"
#include "Vlr_ip_checksum8.h"
#include "Vlr_ip_checksum128.h"
#include "Vlr_link_fifo.h"
#include "Vlr_lpm_tcam_bram.h"
#include "Vlr_rv32.h"
#include "verilated.h"

namespace {
VerilatedContext* ctx() {
    static VerilatedContext c;
    return &c;
}
}  // namespace

extern "C" void vmod_crc32_eval(vmod_crc32_io* io, int n) {
    static Vlr_crc32 m(ctx(), "lr_crc32");
    for (int i = 0; i < n; i++) {
        m.data = io[i].data;
        m.crc_in = io[i].crc_in;
        m.keep = io[i].keep;
        m.en = io[i].en;
        m.eval();
        io[i].crc_out = m.crc_out;
    }
}

namespace {
// clock one beat (or an idle clock) into a clocked observer
template <class M>
void tick(M& m) {
    m.clk = 0;
    m.eval();
    m.clk = 1;
    m.eval();
}
}  // namespace

extern "C" void vmod_ipcsum_eval(vmod_ipcsum_io* io, int n) {
    static Vlr_ip_checksum8 m8(ctx(), "lr_ip_checksum8");
    static Vlr_ip_checksum128 m128(ctx(), "lr_ip_checksum128");
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 80; k++) {
            m8.s_beat = 1;
            m8.s_bidx = k;
            m8.s_tdata = io[i].frame[k];
            tick(m8);
            if (io[i].gaps) {
                m8.s_beat = 0;
                m8.s_tdata = 0xA5;
                tick(m8);
            }
        }
        io[i].ok8 = m8.ok;
        for (int b = 0; b < 5; b++) {  // 80 bytes = 5 beats of 16
            m128.s_beat = 1;
            m128.s_bidx = b;
            for (int w = 0; w < 4; w++) {
                uint32_t v;
                std::memcpy(&v, &io[i].frame[16 * b + 4 * w], 4);  // byte j at bits 8j+7..8j
                m128.s_tdata[w] = v;
            }
            tick(m128);
            if (io[i].gaps) {
                m128.s_beat = 0;
                tick(m128);
            }
        }
        io[i].ok128 = m128.ok;
    }
}

// one clock of lr_lpm_tcam_bram: the inputs before the edge, the outputs after it
extern "C" void vmod_tcam_step(vmod_tcam_io* io) {
    static Vlr_lpm_tcam_bram m(ctx(), "lr_lpm_tcam_bram");
    m.rst = io->rst;
    m.req_valid = io->req_valid;
    m.req_key = io->req_key;
    m.tbl_lpm_we = io->we;
    m.tbl_lpm_re = io->re;
    m.tbl_lpm_index = io->index;
    m.tbl_lpm_wr_valid = io->wr_valid;
    m.tbl_lpm_wr_value = io->wr_value;
    m.tbl_lpm_wr_mask = io->wr_mask;
    m.tbl_lpm_wr_adj = io->wr_adj;
    tick(m);
    io->resp_valid = m.resp_valid;
    io->resp_hit = m.resp_hit;
    io->resp_index = m.resp_index;
    io->resp_adj = m.resp_adj;
    io->rd_valid = m.tbl_lpm_rd_valid;
    io->rd_value = m.tbl_lpm_rd_value;
    io->rd_mask = m.tbl_lpm_rd_mask;
    io->rd_adj = m.tbl_lpm_rd_adj;
    io->busy = m.busy;
}

extern "C" void vmod_linkfifo_run(vmod_linkfifo_io* io, int n) {
    static Vlr_link_fifo m(ctx(), "lr_link_fifo");
    for (int i = 0; i < n; i++) {
        m.rst = io[i].rst;
        m.s_axis_tvalid = io[i].s_valid;
        m.s_axis_tdata = io[i].s_data;
        m.s_axis_tkeep = 1;
        m.s_axis_tlast = io[i].s_last;
        m.s_axis_tdest = io[i].s_dest;
        m.m_axis_tready = io[i].m_ready;
        tick(m);
        io[i].m_valid = m.m_axis_tvalid;
        io[i].m_data = m.m_axis_tdata;
        io[i].m_last = m.m_axis_tlast;
        io[i].m_dest = m.m_axis_tdest;
        io[i].drop = m.stat_drop;
        io[i].drop_tag = m.stat_drop_tag;
        io[i].empty = m.stat_empty;
    }
}

namespace {
// splitmix64: the runs' wait states and bus garbage
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
};

uint32_t rd32(const uint8_t* m) { return m[0] | m[1] << 8 | m[2] << 16 | uint32_t(m[3]) << 24; }

void rv32_run(Vlr_rv32& m, vmod_rv32_run& r, uint8_t* mem, vmod_rv32_retire* trace) {
    Rng rng{r.seed};
    const uint32_t amask = (r.mem_size - 1) & ~3u;
    auto fail = [&](uint8_t e, uint32_t cyc) {
        if (!r.error) {
            r.error = e;
            r.error_cycle = cyc;
        }
    };
    r.error = 0;
    r.error_cycle = 0;  // (an error in reset has clock 0)
    r.retired = 0;
    r.cycles = 0;
    r.accesses = 0;
    m.mem_ready = 0;
    m.mem_rdata = 0;
    // rst for n clocks; mem_valid must stay low
    auto reset = [&](int n, uint32_t cyc) {
        m.rst = 1;
        m.mem_ready = 0;
        for (int i = 0; i < n; i++) {
            m.clk = 0;
            m.eval();
            if (m.mem_valid || m.ret_valid || m.trap) fail(VMOD_RV32_ERR_RESET, cyc);
            tick(m);
        }
        m.rst = 0;
    };
    reset(2, 0);
    r.reset_retired = UINT32_MAX;  // no reset yet

    bool pending = false;  // a request is waiting for mem_ready
    uint32_t wait = 0, p_addr = 0, p_wdata = 0;
    uint8_t p_we = 0, p_wstrb = 0;
    int after_trap = -1;  // clocks run since the trap record
    for (uint32_t cyc = 0; cyc < r.max_cycles; cyc++) {
        if (r.reset_at && cyc == r.reset_at && after_trap < 0) {
            // a reset in the middle of the program: whatever was under way is dropped
            reset(1 + int(rng.next() % 3), cyc);
            pending = false;
            r.reset_retired = r.retired;
        }
        m.clk = 0;
        m.mem_ready = 0;
        m.mem_rdata = uint32_t(rng.next());  // never to be used
        m.eval();
        if (after_trap >= 0) {
            if (!m.trap || m.mem_valid || m.ret_valid) fail(VMOD_RV32_ERR_HALT, cyc);
            if (++after_trap > 4) break;
            tick(m);
            continue;
        }
        if (m.trap) fail(VMOD_RV32_ERR_TRAP, cyc);
        bool ready = false;
        if (m.mem_valid) {
            if (m.mem_addr & 3) fail(VMOD_RV32_ERR_ALIGN, cyc);
            uint8_t we = m.mem_we, strb = we ? m.mem_wstrb : 0;
            uint32_t wdata = we ? m.mem_wdata : 0;
            if (!pending) {
                pending = true;
                p_addr = m.mem_addr;
                p_we = we;
                p_wstrb = strb;
                p_wdata = wdata;
                uint32_t span = uint32_t(r.wait_max) - r.wait_min + 1;
                wait = r.wait_min + (r.wait_max > r.wait_min ? uint32_t(rng.next() % span) : 0);
            } else if (m.mem_addr != p_addr || we != p_we || strb != p_wstrb || wdata != p_wdata) {
                fail(VMOD_RV32_ERR_CHANGED, cyc);
            }
            if (wait == 0) {
                ready = true;
                pending = false;
            } else {
                wait--;
            }
        } else if (pending) {
            fail(VMOD_RV32_ERR_CHANGED, cyc);
            pending = false;
        }
        uint8_t* word = mem + r.mem_off + (m.mem_addr & amask);
        if (ready) {
            r.accesses++;
            m.mem_ready = 1;
            m.mem_rdata = rd32(word);
        }
        m.eval();
        if (m.ret_valid) {
            vmod_rv32_retire& t = trace[r.trace_off + r.retired++];
            t.pc = m.ret_pc;
            t.insn = m.ret_insn;
            t.rd = m.ret_rd;
            t.rd_wdata = m.ret_rd_wdata;
            t.mem_addr = m.ret_mem_addr;
            t.mem_rmask = m.ret_mem_rmask;
            t.mem_wmask = m.ret_mem_wmask;
            t.mem_rdata = m.ret_mem_rdata;
            t.mem_wdata = m.ret_mem_wdata;
            t.trap = m.ret_trap;
            t.cycle = cyc;
            r.cycles = cyc + 1;
            if (t.trap) after_trap = 0;
        }
        if (ready && m.mem_we) {
            for (int i = 0; i < 4; i++) {
                if (m.mem_wstrb >> i & 1) word[i] = uint8_t(m.mem_wdata >> (8 * i));
            }
        }
        tick(m);
        if (r.retired == r.trace_cap && after_trap < 0) break;
    }
}
}  // namespace

// Its own context: registers and the register file start random (--x-initial unique), so a
// program that reads a register it did not write differs from the model.
extern "C" void vmod_rv32_eval(vmod_rv32_run* runs, int n, uint8_t* mem, vmod_rv32_retire* trace) {
    static VerilatedContext* c = [] {
        auto* x = new VerilatedContext;
        x->randReset(2);
        x->randSeed(1);  // the same random start in every process
        return x;
    }();
    static Vlr_rv32 m(c, "lr_rv32");
    for (int i = 0; i < n; i++) rv32_run(m, runs[i], mem, trace);
}
