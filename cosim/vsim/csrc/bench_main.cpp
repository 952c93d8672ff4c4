// bench_main.cpp: the baseline of `make bench`: a pure C++ loop over the same Verilated core and
// the same shim, with no Go, no cgo and no golden model. It reads the register writes and the
// frames the Go benchmark wrote, runs them in the same batches, and prints frames, clocks and
// seconds.
//
// usage: lrbench OPS_FILE FRAMES_FILE BATCH
//   OPS_FILE:    records of {u8 kind, u16 addr, u32 data} (little-endian, packed)
//   FRAMES_FILE: records of {i32 port, u32 len, len bytes}
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "lrsim.h"

static std::vector<uint8_t> slurp(const char* path) {
    std::vector<uint8_t> b;
    FILE* f = std::fopen(path, "rb");
    if (!f) {
        std::perror(path);
        std::exit(2);
    }
    uint8_t buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) b.insert(b.end(), buf, buf + n);
    std::fclose(f);
    return b;
}

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s OPS_FILE FRAMES_FILE BATCH\n", argv[0]);
        return 2;
    }
    std::vector<uint8_t> ob = slurp(argv[1]), fb = slurp(argv[2]);
    int batch = std::atoi(argv[3]);
    if (batch <= 0) batch = 1024;

    std::vector<uint8_t> kind;
    std::vector<uint16_t> addr;
    std::vector<uint32_t> data;
    for (size_t i = 0; i + 7 <= ob.size(); i += 7) {
        kind.push_back(ob[i]);
        uint16_t a;
        uint32_t d;
        std::memcpy(&a, &ob[i + 1], 2);
        std::memcpy(&d, &ob[i + 3], 4);
        addr.push_back(a);
        data.push_back(d);
    }
    struct F {
        int32_t port;
        uint32_t off, len;
    };
    std::vector<F> frames;
    for (size_t i = 0; i + 8 <= fb.size();) {
        F f;
        std::memcpy(&f.port, &fb[i], 4);
        std::memcpy(&f.len, &fb[i + 4], 4);
        f.off = uint32_t(i + 8);
        if (f.off + f.len > fb.size()) break;
        frames.push_back(f);
        i = f.off + f.len;
    }

    // Timed like the Go runner: reset, table load and traffic.
    auto t0 = std::chrono::steady_clock::now();
    lrsim_opts o{};
    o.seed = 1;
    lrsim* s = lrsim_new(&o);
    lrsim_csr(s, kind.data(), addr.data(), data.data(), int(kind.size()));
    uint64_t c0 = lrsim_cycles(s);

    size_t out = 0;
    std::vector<uint8_t> obuf;
    std::vector<uint32_t> lens;
    std::vector<int32_t> ports, user;
    for (size_t start = 0; start < frames.size(); start += batch) {
        size_t end = std::min(frames.size(), start + size_t(batch));
        std::vector<uint8_t> buf;
        std::vector<uint32_t> fl;
        std::vector<int32_t> fp;
        size_t beats = 0;
        for (size_t i = start; i < end; i++) {
            buf.insert(buf.end(), fb.begin() + frames[i].off, fb.begin() + frames[i].off + frames[i].len);
            fl.push_back(frames[i].len);
            fp.push_back(frames[i].port);
            beats += frames[i].len / 8 + 4;
        }
        lrsim_push(s, buf.data(), fl.data(), fp.data(), int(fl.size()));
        int to = 0;
        lrsim_run(s, beats * 8 + 20000, &to);
        if (to) {
            std::fprintf(stderr, "timed out\n");
            return 1;
        }
        int n = lrsim_out_count(s);
        obuf.resize(lrsim_out_bytes(s) + 1);
        lens.resize(n + 1);
        ports.resize(n + 1);
        user.resize(n + 1);
        lrsim_take(s, obuf.data(), lens.data(), ports.data(), user.data());
        out += size_t(n);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("frames=%zu out=%zu cycles=%llu seconds=%.6f\n", frames.size(), out,
                (unsigned long long)(lrsim_cycles(s) - c0), secs);
    lrsim_free(s);
    return 0;
}
