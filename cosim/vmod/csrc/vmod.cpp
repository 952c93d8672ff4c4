// vmod.cpp: evaluates single Verilated modules for their Go tests (see vmod.h).
#include "vmod.h"

#include <cstring>

#include "Vlr_crc32.h"
#include "Vlr_ip_checksum8.h"
#include "Vlr_ip_checksum128.h"
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
