// lrsim.cpp: drives the Verilated lr_core a frame and a register burst at a time (see lrsim.h).
// Backpressure and stall patterns are applied here from a seed; output streams are checked for
// the AXI-Stream rule that a beat offered (tvalid) stays unchanged until it is taken.
#include "lrsim.h"

#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include "Vlr_core.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#ifndef LR_N_PORTS
#define LR_N_PORTS 4
#endif
#ifndef LR_DATA_WIDTH
#define LR_DATA_WIDTH 64
#endif
#ifndef LR_LPM_ENTRIES
#define LR_LPM_ENTRIES 1024
#endif
#ifndef LR_ADJ_ENTRIES
#define LR_ADJ_ENTRIES 256
#endif
#ifndef LR_RADDR_ENTRIES
#define LR_RADDR_ENTRIES 16
#endif
#ifndef LR_MAX_FRAME_BYTES
#define LR_MAX_FRAME_BYTES 9600
#endif

namespace {

constexpr int NP = LR_N_PORTS;
constexpr int DW = LR_DATA_WIDTH;
constexpr int KW = DW / 8;
static_assert(DW % 8 == 0 && DW <= 128, "DATA_WIDTH");

#include "lr_stream.h"

// A sink collects one output stream into frames.
struct Sink {
    std::vector<uint8_t> cur;
    int tuser = -1;
    bool held = false;  // a beat was offered and not taken last clock
    Beat held_beat;
    uint32_t held_user = 0;
};

struct OutFrame {
    int port, tuser;
    std::vector<uint8_t> data;
};

uint32_t keep_count(uint32_t keep) {
    uint32_t n = 0;
    while (keep & 1u) {
        n++;
        keep >>= 1;
    }
    return n;
}

}  // namespace

struct lrsim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vlr_core> top;
    std::unique_ptr<VerilatedFstC> fst;
    uint64_t rng;
    uint32_t in_stall, out_stall;
    uint64_t cycles = 0, time = 0, protocol_errors = 0, rx_stalls = 0;
    Source src[NP + 1];  // ports, then inject
    Sink sink[NP + 1];   // ports, then CPU
    std::vector<OutFrame> out;
    size_t out_bytes = 0;
    // register bus request for the next clock
    uint16_t bus_addr = 0;
    uint32_t bus_wdata = 0;
    bool bus_we = false, bus_re = false;

    uint32_t rand_pct() {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return uint32_t(rng % 100);
    }

    void eval_dump() {
        top->eval();
        if (fst) fst->dump(time);
        time++;
    }

    // One clock: drive inputs, settle, record handshakes, rising edge.
    void tick() {
        Vlr_core* t = top.get();
        // inputs: ports and inject
        for (int p = 0; p <= NP; p++) {
            Source& s = src[p];
            bool v = false;
            Beat b;
            if (!s.empty()) {
                if (s.offered || in_stall == 0 || rand_pct() >= in_stall) v = true;
            }
            if (v) b = s.beat();
            s.offered = v;
            if (p < NP) {
                put(t->s_axis_rx_tdata, p * DW, DW > 64 ? 64 : DW, b.lo);
                if (DW > 64) put(t->s_axis_rx_tdata, p * DW + 64, DW - 64, b.hi);
                put(t->s_axis_rx_tkeep, p * KW, KW, b.keep);
                put(t->s_axis_rx_tvalid, p, 1, v);
                put(t->s_axis_rx_tlast, p, 1, b.last);
            } else {
                put(t->s_axis_inject_tdata, 0, DW > 64 ? 64 : DW, b.lo);
                if (DW > 64) put(t->s_axis_inject_tdata, 64, DW - 64, b.hi);
                t->s_axis_inject_tkeep = b.keep;
                t->s_axis_inject_tvalid = v;
                t->s_axis_inject_tlast = b.last;
            }
        }
        // output readiness
        for (int p = 0; p <= NP; p++) {
            bool r = out_stall == 0 || rand_pct() >= out_stall;
            if (p < NP) put(t->m_axis_tx_tready, p, 1, r);
            else t->m_axis_cpu_tready = r;
        }
        t->csr_addr = bus_addr;
        t->csr_wdata = bus_wdata;
        t->csr_we = bus_we;
        t->csr_re = bus_re;

        t->clk = 0;
        eval_dump();

        // handshakes, sampled before the edge
        for (int p = 0; p <= NP; p++) {
            Source& s = src[p];
            if (!s.offered) continue;
            bool rdy = p < NP ? get(t->s_axis_rx_tready, p, 1) : t->s_axis_inject_tready;
            if (rdy) {
                s.advance();
                s.offered = false;
            } else if (p < NP) {
                rx_stalls++;
            }
        }
        for (int p = 0; p <= NP; p++) {
            Sink& k = sink[p];
            bool v, r;
            Beat b;
            uint32_t user = 0;
            if (p < NP) {
                v = get(t->m_axis_tx_tvalid, p, 1);
                r = get(t->m_axis_tx_tready, p, 1);
                b.lo = get(t->m_axis_tx_tdata, p * DW, DW > 64 ? 64 : DW);
                if (DW > 64) b.hi = get(t->m_axis_tx_tdata, p * DW + 64, DW - 64);
                b.keep = uint32_t(get(t->m_axis_tx_tkeep, p * KW, KW));
                b.last = get(t->m_axis_tx_tlast, p, 1);
                user = uint32_t(get(t->m_axis_tx_tuser, p * 8, 8));
            } else {
                v = t->m_axis_cpu_tvalid;
                r = t->m_axis_cpu_tready;
                b.lo = get(t->m_axis_cpu_tdata, 0, DW > 64 ? 64 : DW);
                if (DW > 64) b.hi = get(t->m_axis_cpu_tdata, 64, DW - 64);
                b.keep = t->m_axis_cpu_tkeep;
                b.last = t->m_axis_cpu_tlast;
            }
            if (k.held && (!v || b != k.held_beat || user != k.held_user)) protocol_errors++;
            k.held = v && !r;
            k.held_beat = b;
            k.held_user = user;
            if (!(v && r)) continue;
            if (k.cur.empty()) k.tuser = int(user);
            uint32_t n = keep_count(b.keep);
            if (n == 0 || n > uint32_t(KW)) protocol_errors++;
            for (uint32_t i = 0; i < n && i < uint32_t(KW); i++) {
                k.cur.push_back(uint8_t(i < 8 ? b.lo >> (8 * i) : b.hi >> (8 * (i - 8))));
            }
            if (b.last) {
                out_bytes += k.cur.size();
                out.push_back(OutFrame{p, k.tuser, std::move(k.cur)});
                k.cur.clear();
            }
        }

        t->clk = 1;
        eval_dump();
        cycles++;
    }

    bool quiet() const {
        for (int p = 0; p <= NP; p++) {
            if (!src[p].empty() || !sink[p].cur.empty()) return false;
        }
        return true;
    }
};

extern "C" {

void lrsim_info_get(lrsim_info* info) {
    info->n_ports = NP;
    info->data_width = DW;
    info->lpm_entries = LR_LPM_ENTRIES;
    info->adj_entries = LR_ADJ_ENTRIES;
    info->raddr_entries = LR_RADDR_ENTRIES;
    info->max_frame_bytes = LR_MAX_FRAME_BYTES;
}

lrsim* lrsim_new(const lrsim_opts* o) {
    auto* s = new lrsim;
    s->ctx = std::make_unique<VerilatedContext>();
    s->ctx->randReset(0);
    s->top = std::make_unique<Vlr_core>(s->ctx.get(), "lr_core");
    s->rng = o->seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (s->rng == 0) s->rng = 1;
    s->in_stall = o->in_stall_pct > 100 ? 100 : o->in_stall_pct;
    s->out_stall = o->out_stall_pct > 99 ? 99 : o->out_stall_pct;
    if (s->in_stall >= 100) s->in_stall = 99;
    if (o->wave_path && o->wave_path[0]) {
        s->ctx->traceEverOn(true);
        s->fst = std::make_unique<VerilatedFstC>();
        s->top->trace(s->fst.get(), 99);
        s->fst->open(o->wave_path);
    }
    s->top->rst = 1;
    for (int i = 0; i < 8; i++) s->tick();
    s->top->rst = 0;
    s->tick();
    return s;
}

void lrsim_free(lrsim* s) {
    if (!s) return;
    if (s->fst) s->fst->close();
    s->top->final();
    delete s;
}

void lrsim_csr(lrsim* s, const uint8_t* kind, const uint16_t* addr, uint32_t* data, int n) {
    for (int i = 0; i < n; i++) {
        // as the link's executor does: no access while a table write is in progress (csr_wait)
        if (kind[i] <= 1) {
            while (s->top->csr_wait) s->tick();
        }
        switch (kind[i]) {
        case 0:
            s->bus_addr = addr[i];
            s->bus_wdata = data[i];
            s->bus_we = true;
            s->tick();
            s->bus_we = false;
            break;
        case 1:
            s->bus_addr = addr[i];
            s->bus_re = true;
            s->tick();
            s->bus_re = false;
            data[i] = s->top->csr_rdata;
            break;
        default:
            for (uint32_t c = 0; c < data[i]; c++) s->tick();
        }
    }
}

void lrsim_push(lrsim* s, const uint8_t* buf, const uint32_t* lens, const int32_t* ports, int n) {
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        int p = ports[i] < 0 ? NP : ports[i];
        if (p > NP || lens[i] == 0) {
            off += lens[i];
            continue;
        }
        s->src[p].q.emplace_back(buf + off, buf + off + lens[i]);
        off += lens[i];
    }
}

uint64_t lrsim_run(lrsim* s, uint64_t max_cycles, int* timed_out) {
    uint64_t start = s->cycles;
    int idle_run = 0;
    *timed_out = 0;
    while (idle_run < 16) {
        if (s->cycles - start >= max_cycles) {
            *timed_out = 1;
            break;
        }
        s->tick();
        if (s->quiet() && s->top->stat_idle) idle_run++;
        else idle_run = 0;
    }
    return s->cycles - start;
}

void lrsim_step(lrsim* s, uint64_t n) {
    for (uint64_t i = 0; i < n; i++) s->tick();
}

int lrsim_out_count(lrsim* s) { return int(s->out.size()); }
size_t lrsim_out_bytes(lrsim* s) { return s->out_bytes; }

void lrsim_take(lrsim* s, uint8_t* buf, uint32_t* lens, int32_t* port, int32_t* tuser) {
    size_t off = 0;
    for (size_t i = 0; i < s->out.size(); i++) {
        const OutFrame& f = s->out[i];
        if (!f.data.empty()) std::memcpy(buf + off, f.data.data(), f.data.size());
        off += f.data.size();
        lens[i] = uint32_t(f.data.size());
        port[i] = f.port;
        tuser[i] = f.tuser;
    }
    s->out.clear();
    s->out_bytes = 0;
}

uint64_t lrsim_cycles(lrsim* s) { return s->cycles; }
uint64_t lrsim_protocol_errors(lrsim* s) { return s->protocol_errors; }
uint64_t lrsim_rx_stalls(lrsim* s) { return s->rx_stalls; }

}  // extern "C"
