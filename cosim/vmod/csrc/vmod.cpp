// vmod.cpp: evaluates single Verilated modules for their Go tests (see vmod.h).
#include "vmod.h"

#include <cstring>

#include "Vlr_crc32.h"
#include "Vlr_ip_checksum8.h"
#include "Vlr_ip_checksum128.h"
#include "Vlr_lpm_tcam_bram.h"
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
