// vboard.cpp: drives the Verilated lr_router (see vboard.h): a bit-level UART on uart_rx/uart_tx,
// frames on the packet ports, runs until idle. Output streams are checked for the AXI-Stream rules
// (a beat offered stays unchanged until taken; tkeep contiguous and not empty).
//
// Board mode (LR_BOARD defined, the Makefile's boardsim target): the Verilated top is a board's
// pin-level top (boards/<board>/, Verilated with --prefix Vlr_router), driven through its pins
// only: CLK, RX, TX; LR_BOARD_IDLE(t) reads "nothing in flight" off an LED pin, and
// LR_BOARD_RESET(t, on) drives the board's reset pin (a button). A board without one is reset by
// a power cycle: a new model, tables cleared, as reconfiguring the FPGA does. The UART divisor is
// the build's (LR_UART_DIV). LR_LINK_PORTS are the ports that travel over the link (no pins:
// frames pushed to them are ignored); LR_BOARD_RGMII(X) lists the others as X(port, PREFIX), an
// RGMII PHY's pins PREFIX_RXC/RXD/RX_CTL/TXC/TXD/TX_CTL, which the shim drives as the PHY would
// (RgmiiPort below).
#include "vboard.h"

#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include "Vlr_router.h"
#include "verilated.h"
#include "verilated_fst_c.h"

// Build facts: the lr_router parameters of the Verilated model (its defaults, see the Makefile).
#ifndef LR_N_PORTS
#define LR_N_PORTS 4
#endif
#ifndef LR_DATA_WIDTH
#define LR_DATA_WIDTH 64
#endif
#ifndef LR_BUILD_ID
#define LR_BUILD_ID 0
#endif
#ifndef LR_BUILD_DATE
#define LR_BUILD_DATE 0
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
#ifndef LR_CLK_HZ
#define LR_CLK_HZ 48000000
#endif
#ifndef LR_RX_BUF_BYTES
#define LR_RX_BUF_BYTES 16384
#endif
#ifndef LR_RESP_BUF_BYTES
#define LR_RESP_BUF_BYTES 2048
#endif
#ifdef LR_BOARD
#ifndef LR_LINK_PORTS
#define LR_LINK_PORTS ((1u << LR_N_PORTS) - 1)
#endif
#define LR_EXT_PORTS (((1u << LR_N_PORTS) - 1) & ~uint32_t(LR_LINK_PORTS))
#define PIN_CLK CLK
#define PIN_RX RX
#define PIN_TX TX
#ifndef LR_BOARD_RESET_HOLD
#define LR_BOARD_RESET_HOLD 24  // clocks the board's reset synchroniser holds after the pin
#endif
#else
#define LR_EXT_PORTS ((1u << LR_N_PORTS) - 1)
#define PIN_CLK clk
#define PIN_RX uart_rx
#define PIN_TX uart_tx
#endif
#define LR_STR2(x) #x
#define LR_STR(x) LR_STR2(x)

namespace {

constexpr int NP = LR_N_PORTS;
constexpr int DW = LR_DATA_WIDTH;
constexpr int KW = DW / 8;
static_assert(DW % 8 == 0 && DW <= 128, "DATA_WIDTH");

#include "lr_stream.h"

// One packet port's output.
struct Sink {
    std::vector<uint8_t> cur;
    bool held = false;  // a beat was offered and not taken last clock
    Beat held_beat;
};

struct OutFrame {
    int port;
    std::vector<uint8_t> data;
};

// Bytes to the uart_rx pin: 8N1, LSB first, back to back.
struct UartDriver {
    std::deque<uint8_t> q;
    bool active = false;
    uint32_t frame = 0;  // start, 8 data, stop; bit 0 first
    int bit = 0;
    uint32_t cnt = 0, div = 16;

    bool empty() const { return q.empty() && !active; }
    // pin level for this clock
    int pin(uint32_t cur_div) {
        if (!active && !q.empty()) {
            frame = (1u << 9) | (uint32_t(q.front()) << 1);
            q.pop_front();
            active = true;
            bit = 0;
            div = cur_div;
            cnt = div;
        }
        return active ? int((frame >> bit) & 1u) : 1;
    }
    void clocked() {
        if (!active) return;
        if (--cnt == 0) {
            cnt = div;
            if (++bit == 10) active = false;
        }
    }
};

// Characters from the uart_tx pin: its own sampler, mid-bit.
struct UartSampler {
    bool active = false;
    int bit = 0;  // 0 start, 1..8 data, 9 stop
    uint32_t cnt = 0, div = 16;
    uint32_t shift = 0;

    // observe the pin for one clock; returns 0 nothing, 1 a byte in *out, 2 framing error
    int sample(int pin, uint32_t cur_div, uint8_t* out) {
        if (!active) {
            if (pin == 0) {
                active = true;
                bit = 0;
                div = cur_div;
                cnt = div / 2;
                shift = 0;
            }
            return 0;
        }
        if (--cnt != 0) return 0;
        cnt = div;
        if (bit == 0) {
            if (pin != 0) active = false;  // glitch
            else bit = 1;
            return 0;
        }
        if (bit <= 8) {
            shift |= uint32_t(pin & 1) << (bit - 1);
            bit++;
            return 0;
        }
        active = false;
        if (pin == 0) return 2;
        *out = uint8_t(shift);
        return 1;
    }
};

uint32_t keep_count(uint32_t keep) {
    uint32_t n = 0;
    while (keep & 1u) {
        n++;
        keep >>= 1;
    }
    return n;
}

#ifdef LR_BOARD_RGMII
// One RGMII port of a board top, seen from its PHY. The simulated board has one clock: CLK drives
// the core and, through the PLL models, the 125 MHz transmit clock; the PHY's RXC ticks in step
// with CLK, so a byte takes one clock each way (faster than a real PHY next to a 48 MHz core,
// whose MAC FIFOs absorb the difference; here they never fill). RXC runs only while the PHY has
// something to say: from LEAD idle cycles before a burst of frames (the receive side leaves reset
// on RXC edges) to TAIL idle cycles after it (the MAC publishes a stored frame to the core side
// through a handshake clocked by RXC); otherwise it is stopped, as in a PHY's low-power idle, and
// costs the simulation nothing.
struct RgmiiPort {
    static constexpr int LEAD = 24, TAIL = 24, IFG = 12;
    int port = 0;
    // the Verilated pins (rebuilt at every power-up)
    CData *rxc = nullptr, *rxd = nullptr, *rx_ctl = nullptr;
    CData *txc = nullptr, *txd = nullptr, *tx_ctl = nullptr;
    // receive: frames waiting, the burst being sent (bit 8 of a cycle: RX_DV)
    std::deque<std::vector<uint8_t>> frames;
    std::vector<uint16_t> cyc;
    size_t ci = 0;
    int tail = 0;
    bool running = false;  // RXC toggles
    uint16_t cur = 0;      // the cycle whose rising half was presented last
    // transmit: the rising half of the cycle being recorded, the bytes of the frame so far
    uint8_t rise_pins = 0;
    bool have_rise = false;
    std::vector<uint8_t> tx;

    bool quiet() const { return frames.empty() && ci >= cyc.size() && tail == 0 && tx.empty(); }

    // Before the clock's falling edge: the high nibble (and RX_DV xor RX_ER) of the current cycle.
    void fall() {
        *rxd = uint8_t((cur >> 4) & 15);
        *rx_ctl = uint8_t((cur >> 8) & 1);
        *rxc = 0;
    }
    // Before the rising edge: the next cycle's low nibble and RX_DV.
    void rise(bool in_reset) {
        if (ci >= cyc.size()) {
            cyc.clear();
            ci = 0;
            if (!in_reset && !frames.empty()) {
                if (!running) cyc.assign(LEAD, 0);
                for (int i = 0; i < 7; i++) cyc.push_back(0x155);
                cyc.push_back(0x1D5);
                for (uint8_t b : frames.front()) cyc.push_back(uint16_t(0x100 | b));
                cyc.insert(cyc.end(), IFG, 0);
                frames.pop_front();
            }
        }
        if (ci < cyc.size()) {
            cur = cyc[ci++];
            tail = TAIL;
            running = true;
        } else if (tail > 0) {
            cur = 0;
            tail--;
        } else {
            cur = 0;
            running = false;
        }
        *rxd = uint8_t(cur & 15);
        *rx_ctl = uint8_t((cur >> 8) & 1);
        *rxc = running ? 1 : 0;
    }
    // A half period of the transmit pins has ended (high: TXC high, the rising half). Returns
    // true with a whole frame in *out; counts what breaks RGMII in *errors.
    bool sample(bool high, std::vector<uint8_t>* out, uint64_t* errors) {
        uint8_t pins = uint8_t((*txd & 15) | ((*tx_ctl & 1) << 4));
        if ((*txc & 1) != (high ? 1 : 0)) (*errors)++;  // TXC follows the transmit clock
        if (high) {
            rise_pins = pins;
            have_rise = true;
            return false;
        }
        if (!have_rise) return false;
        have_rise = false;
        bool en = rise_pins >> 4;
        bool er = en != bool(pins >> 4);
        if (en) {
            if (er) (*errors)++;  // TX_ER is never driven
            tx.push_back(uint8_t((rise_pins & 15) | ((pins & 15) << 4)));
            return false;
        }
        if (tx.empty()) return false;
        // a frame ended: 7 x 0x55, the SFD, the frame (whose first byte may be 0x55 too)
        static const uint8_t pre[8] = {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0xD5};
        bool ok = tx.size() > 8 && std::memcmp(tx.data(), pre, 8) == 0;
        if (ok) out->assign(tx.begin() + 8, tx.end());
        else (*errors)++;
        tx.clear();
        return ok;
    }
    void abandon() {  // reset: the burst on the wire ends, queued frames wait
        cyc.clear();
        ci = 0;
        tail = 0;
        running = false;
        cur = 0;
        have_rise = false;
        tx.clear();
    }
};
#endif

}  // namespace

struct vboard {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vlr_router> top;
    std::unique_ptr<VerilatedFstC> fst;
    uint64_t cycles = 0, time = 0, protocol_errors = 0, framing_errors = 0;
    uint32_t div = 16;
    bool in_reset = false;
    uint64_t tx_quiet = 0;  // clocks uart_tx has been high with the sampler idle
    uint64_t still = 0;     // clocks everything has been idle (vboard_run)
    Source src[NP];
    Sink sink[NP];
    std::vector<OutFrame> out;
    size_t out_bytes = 0;
    UartDriver drv;
    UartSampler smp;
    std::vector<uint8_t> rx_bytes;  // decoded from uart_tx
#ifdef LR_BOARD_RGMII
    std::vector<RgmiiPort> rgmii;  // the board's RGMII ports (LR_BOARD_RGMII)

    RgmiiPort* rgmii_port(int p) {
        for (auto& r : rgmii) {
            if (r.port == p) return &r;
        }
        return nullptr;
    }
    // point each port at the pins of the current model
    void rgmii_bind() {
        Vlr_router* t = top.get();
        size_t i = 0;
#define LR_RGMII_BIND(p, pre)                                               \
    if (rgmii.size() <= i) rgmii.emplace_back();                           \
    rgmii[i].port = p;                                                     \
    rgmii[i].rxc = &t->pre##_RXC, rgmii[i].rxd = &t->pre##_RXD;            \
    rgmii[i].rx_ctl = &t->pre##_RX_CTL, rgmii[i].txc = &t->pre##_TXC;      \
    rgmii[i].txd = &t->pre##_TXD, rgmii[i].tx_ctl = &t->pre##_TX_CTL, i++;
        LR_BOARD_RGMII(LR_RGMII_BIND)
#undef LR_RGMII_BIND
    }
#endif

    void eval_dump() {
        top->eval();
        if (fst) fst->dump(time);
        time++;
    }

    // One clock: drive inputs, settle, record handshakes and pins, rising edge.
    void tick() {
        Vlr_router* t = top.get();
#ifndef LR_BOARD
        for (int p = 0; p < NP; p++) {
            Source& s = src[p];
            bool v = !in_reset && !s.empty();
            Beat b;
            if (v) b = s.beat();
            s.offered = v;
            put(t->s_axis_rx_tdata, p * DW, DW > 64 ? 64 : DW, b.lo);
            if (DW > 64) put(t->s_axis_rx_tdata, p * DW + 64, DW - 64, b.hi);
            put(t->s_axis_rx_tkeep, p * KW, KW, b.keep);
            put(t->s_axis_rx_tvalid, p, 1, v);
            put(t->s_axis_rx_tlast, p, 1, b.last);
        }
        t->cfg_uart_div = div;
#endif
        t->PIN_RX = in_reset ? 1 : drv.pin(div);
#ifdef LR_BOARD_RGMII
        for (auto& r : rgmii) r.fall();
#endif

        t->PIN_CLK = 0;
        eval_dump();
#ifdef LR_BOARD_RGMII
        rgmii_sample(false);
#endif

#ifndef LR_BOARD
        for (int p = 0; p < NP; p++) {
            Source& s = src[p];
            if (s.offered && get(t->s_axis_rx_tready, p, 1)) s.advance();
            s.offered = false;
        }
        for (int p = 0; p < NP; p++) {
            Sink& k = sink[p];
            bool v = get(t->m_axis_tx_tvalid, p, 1);
            bool r = get(t->m_axis_tx_tready, p, 1);
            Beat b;
            b.lo = get(t->m_axis_tx_tdata, p * DW, DW > 64 ? 64 : DW);
            if (DW > 64) b.hi = get(t->m_axis_tx_tdata, p * DW + 64, DW - 64);
            b.keep = uint32_t(get(t->m_axis_tx_tkeep, p * KW, KW));
            b.last = get(t->m_axis_tx_tlast, p, 1);
            if (k.held && (!v || b != k.held_beat)) protocol_errors++;
            k.held = v && !r;
            k.held_beat = b;
            if (!(v && r) || in_reset) continue;
            uint32_t n = keep_count(b.keep);
            if (n == 0 || n > uint32_t(KW) || (b.keep >> n) != 0) protocol_errors++;
            for (uint32_t i = 0; i < n && i < uint32_t(KW); i++) {
                k.cur.push_back(uint8_t(i < 8 ? b.lo >> (8 * i) : b.hi >> (8 * (i - 8))));
            }
            if (b.last) {
                out_bytes += k.cur.size();
                out.push_back(OutFrame{p, std::move(k.cur)});
                k.cur.clear();
            }
        }
#endif
        int pin = t->PIN_TX;
        uint8_t byte;
        switch (smp.sample(pin, div, &byte)) {
        case 1:
            rx_bytes.push_back(byte);
            break;
        case 2:
            framing_errors++;
            break;
        default:
            break;
        }
        if (pin && !smp.active) tx_quiet++;
        else tx_quiet = 0;
        if (!in_reset) drv.clocked();
#ifdef LR_BOARD_RGMII
        for (auto& r : rgmii) r.rise(in_reset);
#endif

        t->PIN_CLK = 1;
        eval_dump();
#ifdef LR_BOARD_RGMII
        rgmii_sample(true);
#endif
        cycles++;
    }

#ifdef LR_BOARD_RGMII
    // the transmit pins of every RGMII port after a clock edge; whole frames to out
    void rgmii_sample(bool high) {
        std::vector<uint8_t> f;
        uint64_t ignored = 0;  // pins in reset
        for (auto& r : rgmii) {
            if (!r.sample(high, &f, in_reset ? &ignored : &protocol_errors) || in_reset) continue;
            out_bytes += f.size();
            out.push_back(OutFrame{r.port, std::move(f)});
            f.clear();
        }
    }
#endif

    bool idle() {
#ifdef LR_BOARD
        return LR_BOARD_IDLE(top);
#else
        return top->stat_idle;
#endif
    }

    // a new model in its power-up state (board mode without a reset pin)
    void power_up() {
        if (fst) {  // the waveform ends at a power cycle
            fst->close();
            fst.reset();
        }
        if (top) top->final();
        top.reset();
        ctx = std::make_unique<VerilatedContext>();
        ctx->randReset(0);
        top = std::make_unique<Vlr_router>(ctx.get(), "lr_router");
        top->PIN_RX = 1;
#ifdef LR_BOARD_RESET
        LR_BOARD_RESET(top, 0);
#endif
#ifndef LR_BOARD
        top->m_axis_tx_tready = (1u << NP) - 1;
#endif
#ifdef LR_BOARD_RGMII
        rgmii_bind();
        for (auto& r : rgmii) r.abandon();
#endif
    }

    bool quiet() const {
        if (!drv.empty()) return false;
        for (int p = 0; p < NP; p++) {
            if (!src[p].empty() || !sink[p].cur.empty()) return false;
        }
#ifdef LR_BOARD_RGMII
        for (const auto& r : rgmii) {
            if (!r.quiet()) return false;
        }
#endif
        return true;
    }
};

extern "C" {

void vboard_info_get(vboard_info* info) {
    info->n_ports = NP;
    info->data_width = DW;
    info->lpm_entries = LR_LPM_ENTRIES;
    info->adj_entries = LR_ADJ_ENTRIES;
    info->raddr_entries = LR_RADDR_ENTRIES;
    info->max_frame_bytes = LR_MAX_FRAME_BYTES;
    info->clk_hz = LR_CLK_HZ;
    info->rx_buf_bytes = LR_RX_BUF_BYTES;
    info->resp_buf_bytes = LR_RESP_BUF_BYTES;
    info->build_id = LR_BUILD_ID;
    info->build_date = LR_BUILD_DATE;
    info->ext_ports = LR_EXT_PORTS;
#ifdef LR_BOARD
    info->link_ports = LR_LINK_PORTS;
#else
    info->link_ports = 0;  // chosen per board (vboard_opts)
#endif
#ifdef LR_BOARD
    info->board = LR_STR(LR_BOARD);
#else
    info->board = "";
#endif
}

vboard* vboard_new(const vboard_opts* o) {
    auto* b = new vboard;
    b->power_up();
#ifdef LR_BOARD
    b->div = LR_UART_DIV;
#else
    b->div = o->uart_div < 4 ? 16 : o->uart_div;
    b->top->cfg_link_ports = o->link_ports & ((1u << NP) - 1);
#endif
    if (o->wave_path && o->wave_path[0]) {
        b->ctx->traceEverOn(true);
        b->fst = std::make_unique<VerilatedFstC>();
        b->top->trace(b->fst.get(), 99);
        b->fst->open(o->wave_path);
    }
    vboard_reset(b, 8);
    return b;
}

void vboard_free(vboard* b) {
    if (!b) return;
    if (b->fst) b->fst->close();
    b->top->final();
    delete b;
}

void vboard_uart_write(vboard* b, const uint8_t* p, size_t n) { b->drv.q.insert(b->drv.q.end(), p, p + n); }

size_t vboard_uart_count(vboard* b) { return b->rx_bytes.size(); }

void vboard_uart_take(vboard* b, uint8_t* buf) {
    if (!b->rx_bytes.empty()) std::memcpy(buf, b->rx_bytes.data(), b->rx_bytes.size());
    b->rx_bytes.clear();
}

void vboard_push(vboard* b, const uint8_t* buf, const uint32_t* lens, const int32_t* ports, int n) {
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        int p = ports[i];
        if (p >= 0 && p < NP && ((LR_EXT_PORTS >> p) & 1u) && lens[i] > 0) {
#ifdef LR_BOARD_RGMII
            if (RgmiiPort* r = b->rgmii_port(p)) r->frames.emplace_back(buf + off, buf + off + lens[i]);
#else
            b->src[p].q.emplace_back(buf + off, buf + off + lens[i]);
#endif
        }
        off += lens[i];
    }
}

uint64_t vboard_run(vboard* b, uint64_t max_cycles, int* idle) {
    uint64_t start = b->cycles;
    *idle = 0;
    // idle: everything quiet for 2 character times in a row (so a byte that has just entered
    // has had time to start a request, and uart_tx to stay idle); the count carries over calls
    const uint64_t need = 20ull * b->div;
    for (;;) {
        if (!b->quiet() || !b->idle() || b->tx_quiet == 0) b->still = 0;
        if (b->still >= need) {
            *idle = 1;
            break;
        }
        if (b->cycles - start >= max_cycles) break;
        b->tick();
        b->still++;
    }
    return b->cycles - start;
}

int vboard_out_count(vboard* b) { return int(b->out.size()); }
size_t vboard_out_bytes(vboard* b) { return b->out_bytes; }

void vboard_take(vboard* b, uint8_t* buf, uint32_t* lens, int32_t* ports) {
    size_t off = 0;
    for (size_t i = 0; i < b->out.size(); i++) {
        const OutFrame& f = b->out[i];
        if (!f.data.empty()) std::memcpy(buf + off, f.data.data(), f.data.size());
        off += f.data.size();
        lens[i] = uint32_t(f.data.size());
        ports[i] = f.port;
    }
    b->out.clear();
    b->out_bytes = 0;
}

void vboard_reset(vboard* b, int n) {
    if (n < 1) n = 1;
    b->drv.active = false;
    b->smp.active = false;
    for (int p = 0; p < NP; p++) {
        b->src[p].abandon();
        b->sink[p].cur.clear();
        b->sink[p].held = false;
    }
#ifdef LR_BOARD_RGMII
    for (auto& r : b->rgmii) r.abandon();
#endif
    b->in_reset = true;
    b->still = 0;
#ifdef LR_BOARD
#ifdef LR_BOARD_RESET
    LR_BOARD_RESET(b->top, 1);
    for (int i = 0; i < n; i++) b->tick();
    LR_BOARD_RESET(b->top, 0);
#else
    if (b->cycles > 0) b->power_up();  // no reset pin: a power cycle (the first one is power-up)
#endif
    for (int i = 0; i < LR_BOARD_RESET_HOLD; i++) b->tick();
#else
    b->top->rst = 1;
    for (int i = 0; i < n; i++) b->tick();
    b->top->rst = 0;
#endif
    b->in_reset = false;
    b->tick();
}

void vboard_set_uart_div(vboard* b, uint32_t div) {
#ifdef LR_BOARD
    (void)div;  // the board's divisor is a build parameter
#else
    b->div = div < 4 ? 16 : div;
#endif
}

uint64_t vboard_cycles(vboard* b) { return b->cycles; }

void vboard_stats_get(vboard* b, vboard_stats* s) {
    s->uart_framing_errors = b->framing_errors;
    s->protocol_errors = b->protocol_errors;
}

}  // extern "C"
