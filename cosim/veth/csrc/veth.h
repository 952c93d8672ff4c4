/* veth.h: the C interface of the Verilated rtl/eth/lr_eth_rgmii (one RGMII port), for Go through
 * cgo. The shim owns the three clocks and schedules them by simulated time in picoseconds: the
 * PHY's receive clock (RXC), the 125 MHz transmit clock and the core clock. Go hands over whole
 * arrays of plain structs per run (pin cycles in, pin cycles out, stream beats in and out), so a
 * test crosses cgo once per run, never once per signal. cgo never sees C++. */
#ifndef VETH_H
#define VETH_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct veth veth;

typedef struct {
    uint32_t rx_period_ps;   /* RXC period, 8000 for 125 MHz */
    uint32_t tx_period_ps;   /* tx_clk period (TXC), 8000 for 125 MHz */
    uint32_t core_period_ps; /* core clock period, 20833 for 48 MHz */
    const char* wave_path;   /* FST file to write, or NULL */
} veth_opts;

/* One clock cycle of RGMII pins. Bits 3..0: RXD or TXD; bit 4: RX_CTL or TX_CTL; bit 5 (transmit
 * only): TXC. rise: what the pins carry for the rising edge of the clock (while it is high, on
 * the transmit side); fall: for the falling edge (while it is low). */
typedef struct {
    uint8_t rise, fall;
} veth_rgmii;

/* One beat of an 8-bit frame stream. */
typedef struct {
    uint8_t data, last;
} veth_beat;

/* pace: bits per core clock */
#define VETH_PACE_RX_READY 1u /* m_axis_rx_tready this clock */
#define VETH_PACE_TX_VALID 2u /* a new s_axis_tx beat may be offered (once offered, it is held) */

typedef struct {
    /* in */
    const veth_rgmii* rx; /* receive pins, one per RXC cycle; the last one repeats afterwards */
    uint32_t rx_n;
    const veth_beat* tx; /* frames to send, beat by beat */
    uint32_t tx_n;
    const uint8_t* pace; /* per core clock, used cyclically; NULL: always ready and valid */
    uint32_t pace_n;
    veth_rgmii* txpins; /* out: transmit pins, one per TXC cycle of the run */
    uint32_t txpins_cap;
    veth_beat* rxout; /* out: received beats (m_axis_rx) */
    uint32_t rxout_cap;
    uint64_t tail_ps; /* run this long once rx is used up and every tx beat accepted */
    uint64_t max_ps;  /* and never longer than this */

    /* out */
    uint32_t rx_used;  /* RXC cycles of rx presented */
    uint32_t tx_taken; /* beats of tx the MAC accepted */
    uint32_t txpins_n; /* TXC cycles recorded (stops at txpins_cap) */
    uint32_t rxout_n;  /* received beats recorded (stops at rxout_cap) */
    uint32_t lost;     /* TXC cycles or received beats that did not fit the arrays */
    uint32_t timed_out;
    uint64_t ran_ps;
    uint64_t protocol_errors; /* m_axis_rx: tvalid dropped or tdata/tlast changed while stalled */
    uint32_t stat_rx_drop_overflow, stat_rx_drop_error, stat_tx_drop_oversize;
} veth_run_args;

/* A new model, reset: rst held for 8 core clocks, then 2 us with all clocks running. */
veth* veth_new(const veth_opts* opts);
void veth_free(veth* s);

/* Run the clocks with the given inputs; state carries over from run to run. */
void veth_run(veth* s, veth_run_args* a);

#ifdef __cplusplus
}
#endif
#endif
