// lr_stream.h: what the C++ shims (cosim/vsim lrsim.cpp, cosim/vboard vboard.cpp) share: bit
// access on Verilated signals and the frame source that drives one AXI-Stream input beat by
// beat. Include it inside the shim's anonymous namespace, after the constants DW (stream width
// in bits) and KW (DW / 8); the shim includes verilated.h (VlWide) and <deque>, <vector> first.
#ifndef LR_STREAM_H
#define LR_STREAM_H

// ---- bit access on Verilated signals: plain integers or VlWide word arrays ----
template <typename T>
inline void put(T& sig, int lsb, int width, uint64_t v) {
    const int tb = 8 * sizeof(T);
    T mask = width >= tb ? ~T(0) : T((T(1) << width) - 1);
    sig = T((sig & ~T(mask << lsb)) | T((T(v) & mask) << lsb));
}
template <std::size_t N>
inline void put(VlWide<N>& sig, int lsb, int width, uint64_t v) {
    if (lsb % 32 == 0 && width % 32 == 0) {
        for (int w = 0; w < width / 32; w++) sig[lsb / 32 + w] = uint32_t(v >> (32 * w));
        return;
    }
    for (int i = 0; i < width; i++) {
        int b = lsb + i;
        uint32_t bit = (v >> i) & 1u;
        sig[b / 32] = (sig[b / 32] & ~(1u << (b % 32))) | (bit << (b % 32));
    }
}
template <typename T>
inline uint64_t get(const T& sig, int lsb, int width) {
    const int tb = 8 * sizeof(T);
    T mask = width >= tb ? ~T(0) : T((T(1) << width) - 1);
    return uint64_t((sig >> lsb) & mask);
}
template <std::size_t N>
inline uint64_t get(const VlWide<N>& sig, int lsb, int width) {
    if (lsb % 32 == 0 && width % 32 == 0) {
        uint64_t v = 0;
        for (int w = 0; w < width / 32; w++) v |= uint64_t(sig[lsb / 32 + w]) << (32 * w);
        return v;
    }
    uint64_t v = 0;
    for (int i = 0; i < width; i++) {
        int b = lsb + i;
        v |= uint64_t((sig[b / 32] >> (b % 32)) & 1u) << i;
    }
    return v;
}

// A beat is up to 128 bits: two 64-bit halves.
struct Beat {
    uint64_t lo = 0, hi = 0;
    uint32_t keep = 0;
    bool last = false;
    bool operator!=(const Beat& o) const { return lo != o.lo || hi != o.hi || keep != o.keep || last != o.last; }
};

// A source of frames for one input stream.
struct Source {
    std::deque<std::vector<uint8_t>> q;
    size_t off = 0;        // byte offset in q.front()
    bool offered = false;  // tvalid asserted this clock

    bool empty() const { return q.empty(); }
    Beat beat() const {
        Beat b;
        const auto& f = q.front();
        size_t n = f.size() - off;
        if (n > size_t(KW)) n = KW;
        for (size_t i = 0; i < n; i++) {
            uint64_t byte = f[off + i];
            if (i < 8) b.lo |= byte << (8 * i);
            else b.hi |= byte << (8 * (i - 8));
        }
        b.keep = n >= 32 ? 0xffffffffu : ((1u << n) - 1);
        b.last = off + n >= f.size();
        return b;
    }
    void advance() {
        size_t n = q.front().size() - off;
        if (n > size_t(KW)) n = KW;
        off += n;
        if (off >= q.front().size()) {
            q.pop_front();
            off = 0;
        }
    }
    void abandon() {  // drop a frame half sent
        if (off != 0) {
            q.pop_front();
            off = 0;
        }
        offered = false;
    }
};

#endif
