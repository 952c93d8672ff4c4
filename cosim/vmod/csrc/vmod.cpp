// vmod.cpp: evaluates single Verilated modules for their Go tests (see vmod.h).
#include "vmod.h"

#include <cstring>

#include "Vlr_crc32.h"
#include "Vlr_ip_checksum.h"
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

extern "C" void vmod_ipcsum_eval(vmod_ipcsum_io* io, int n) {
    static Vlr_ip_checksum m(ctx(), "lr_ip_checksum");
    for (int i = 0; i < n; i++) {
        for (int w = 0; w < 20; w++) {
            uint32_t v;
            std::memcpy(&v, &io[i].hdr[4 * w], 4);  // byte k at bits 8k+7..8k: little-endian words
            m.hdr[w] = v;
        }
        m.ihl = io[i].ihl;
        m.valid = io[i].valid;
        m.eval();
        io[i].ok = m.ok;
    }
}
