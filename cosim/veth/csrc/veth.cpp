// veth.cpp: runs the Verilated lr_eth_rgmii by simulated time (see veth.h).
#include "veth.h"

#include <algorithm>
#include <memory>

#include "Vlr_eth_rgmii.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

// A free-running clock: rising edges at phase + k * period, falling edges half a period later.
struct Clock {
    uint64_t period = 8000, next = 0;
    bool level = false;
    void init(uint64_t p, uint64_t phase) {
        period = p;
        next = phase;
        level = false;
    }
    // the edge at `next`: returns the new level and schedules the following edge
    bool toggle() {
        level = !level;
        next += level ? period / 2 : period - period / 2;
        return level;
    }
};

}  // namespace

struct veth {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vlr_eth_rgmii> m;
    std::unique_ptr<VerilatedFstC> fst;
    Clock rx, tx, core;
    uint64_t now = 0;

    // transmit pins: the rising half of the TXC cycle being recorded
    bool have_rise = false;
    uint8_t rise_pins = 0;

    // receive pins: the cycle being presented
    veth_rgmii rx_cur = {0, 0};

    // core-side source: a beat is offered (and held until accepted)
    bool offering = false;
    // core-side sink: a beat was seen stalled last clock (protocol check)
    bool stalled = false;
    uint8_t stalled_data = 0, stalled_last = 0;

    void eval() {
        m->eval();
        if (fst) fst->dump(now);
    }

    uint8_t tx_pins() const {
        return uint8_t((m->rgmii_txd & 15) | (m->rgmii_tx_ctl & 1) << 4 | (m->rgmii_txc & 1) << 5);
    }

    void set_rx_pins(uint8_t p) {
        m->rgmii_rxd = p & 15;
        m->rgmii_rx_ctl = (p >> 4) & 1;
    }

    // Advance to the next clock edge(s). a == nullptr: reset/idle, nothing recorded.
    void step(veth_run_args* a, uint32_t& rx_i, uint32_t& tx_i, uint32_t& pace_i) {
        now = std::min({rx.next, tx.next, core.next});
        bool rx_e = rx.next == now, tx_e = tx.next == now, core_e = core.next == now;
        bool core_rise = core_e && !core.level;

        // Before a rising core edge: drive the stream inputs, then sample both handshakes.
        bool rx_hs = false, tx_hs = false;
        if (core_rise) {
            uint8_t pace = 3;
            if (a && a->pace && a->pace_n) pace = a->pace[pace_i++ % a->pace_n];
            m->m_axis_rx_tready = pace & VETH_PACE_RX_READY ? 1 : 0;
            if (a && !offering && tx_i < a->tx_n && (pace & VETH_PACE_TX_VALID)) offering = true;
            m->s_axis_tx_tvalid = offering;
            m->s_axis_tx_tkeep = 1;
            if (offering) {
                m->s_axis_tx_tdata = a->tx[tx_i].data;
                m->s_axis_tx_tlast = a->tx[tx_i].last ? 1 : 0;
            }
            m->eval();
            rx_hs = m->m_axis_rx_tvalid && m->m_axis_rx_tready;
            tx_hs = offering && m->s_axis_tx_tready;
            if (a) {  // stream rule: a stalled beat stays, unchanged
                if (stalled && (!m->m_axis_rx_tvalid || m->m_axis_rx_tdata != stalled_data ||
                                m->m_axis_rx_tlast != stalled_last))
                    a->protocol_errors++;
                stalled = m->m_axis_rx_tvalid && !m->m_axis_rx_tready;
                stalled_data = m->m_axis_rx_tdata;
                stalled_last = m->m_axis_rx_tlast;
            }
            if (rx_hs && a) {
                if (a->rxout_n < a->rxout_cap)
                    a->rxout[a->rxout_n++] = {m->m_axis_rx_tdata, m->m_axis_rx_tlast};
                else
                    a->lost++;
            }
        }

        // Transmit pins: record what was driven during the half period that ends now.
        if (tx_e && a) {
            if (tx.level) {
                rise_pins = tx_pins();
                have_rise = true;
            } else if (have_rise) {
                if (a->txpins_n < a->txpins_cap)
                    a->txpins[a->txpins_n++] = {rise_pins, tx_pins()};
                else
                    a->lost++;
                have_rise = false;
            }
        }

        // Receive pins: present the next half cycle with set-up before its edge.
        if (rx_e) {
            if (!rx.level) {  // a rising edge: a new cycle
                if (a && rx_i < a->rx_n) {
                    rx_cur = a->rx[rx_i++];
                } else if (!a) {
                    rx_cur = {0, 0};
                }  // else: the last cycle repeats
                set_rx_pins(rx_cur.rise);
            } else {
                set_rx_pins(rx_cur.fall);
            }
        }

        if (rx_e) m->rgmii_rxc = rx.toggle();
        if (tx_e) m->tx_clk = tx.toggle();
        if (core_e) m->clk = core.toggle();
        eval();

        if (core_rise && tx_hs) {
            offering = false;
            tx_i++;
        }
    }
};

extern "C" veth* veth_new(const veth_opts* o) {
    auto* s = new veth;
    s->ctx = std::make_unique<VerilatedContext>();
    s->m = std::make_unique<Vlr_eth_rgmii>(s->ctx.get(), "lr_eth_rgmii");
    if (o->wave_path && o->wave_path[0]) {
        s->ctx->traceEverOn(true);
        s->fst = std::make_unique<VerilatedFstC>();
        s->m->trace(s->fst.get(), 99);
        s->fst->open(o->wave_path);
    }
    // Phases apart, so edges of the three clocks rarely coincide (they may; the order is fixed).
    s->rx.init(o->rx_period_ps ? o->rx_period_ps : 8000, 1000);
    s->tx.init(o->tx_period_ps ? o->tx_period_ps : 8000, 3000);
    s->core.init(o->core_period_ps ? o->core_period_ps : 20833, 5000);
    s->m->rst = 1;
    s->eval();
    uint32_t rx_i = 0, tx_i = 0, pace_i = 0;
    uint64_t rises = 0;
    while (rises < 8) {
        bool core_rise = s->core.next <= std::min(s->rx.next, s->tx.next) && !s->core.level;
        s->step(nullptr, rx_i, tx_i, pace_i);
        if (core_rise) rises++;
    }
    s->m->rst = 0;
    uint64_t end = s->now + 2000000;
    while (s->now < end) s->step(nullptr, rx_i, tx_i, pace_i);
    return s;
}

extern "C" void veth_free(veth* s) {
    if (!s) return;
    if (s->fst) s->fst->close();
    s->m->final();
    delete s;
}

extern "C" void veth_run(veth* s, veth_run_args* a) {
    a->rx_used = a->tx_taken = a->txpins_n = a->rxout_n = a->lost = a->timed_out = 0;
    a->protocol_errors = 0;
    s->have_rise = false;
    uint32_t rx_i = 0, tx_i = 0, pace_i = 0;
    uint64_t start = s->now, limit = s->now + a->max_ps, end = limit;
    bool inputs_done = false;
    while (s->now < end) {
        s->step(a, rx_i, tx_i, pace_i);
        if (!inputs_done && rx_i >= a->rx_n && tx_i >= a->tx_n) {
            inputs_done = true;
            end = std::min(limit, s->now + a->tail_ps);
        }
    }
    a->timed_out = inputs_done ? 0 : 1;
    a->rx_used = rx_i;
    a->tx_taken = tx_i;
    a->ran_ps = s->now - start;
    a->stat_rx_drop_overflow = s->m->stat_rx_drop_overflow;
    a->stat_rx_drop_error = s->m->stat_rx_drop_error;
    a->stat_tx_drop_oversize = s->m->stat_tx_drop_oversize;
}
