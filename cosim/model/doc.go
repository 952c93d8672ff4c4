// Package model is the golden model of the linerate IPv4 fast path: a deterministic Go function
// per frame with exactly the semantics of the Verilog pipeline in rtl/core. Co-simulation feeds
// both the same table image and the same frames and compares their outputs byte for byte, so
// the rules here follow rtl/core/README.md to the letter (decision order, rewrite, punt header,
// inject header, counters). When a rule changes, it changes there, in the RTL and here.
//
// The model is pure: no goroutines, clocks or I/O. Its only state is the loaded tables, the
// counters and the punt sequence number. It never panics, whatever the frame: a field beyond
// the end of a short frame reads as zero (the README's b[k] notation).
//
// One file per pipeline stage, named as in the README's stage table:
//
//	ingress.go    per port: rx counters, split off the FCS
//	fcs.go        FCS check; FCS insert (pad to 60, append CRC-32)
//	parser.go     Ethernet II, 802.1Q/802.1ad tag, ARP, IPv4 fields, IPv6, other ethertypes
//	checksum.go   IPv4 header checksum; the incremental TTL update
//	checks.go     router MAC, martians, router addresses (to_me)
//	lpm.go        TCAM: lowest matching valid index wins
//	adjacency.go  next-hop row: kind, egress port, MACs, MTU
//	decide.go     the decision order: forward, punt(reason) or drop(reason)
//	rewrite.go    MACs, TTL-1, checksum, trim to the IP total length
//	punt.go       punt header and the CPU queue's sequence number; the inject header
//	counters.go   per port, per reason and CPU counters (32 bits, wrapping)
//	model.go      the pipeline: Receive, Inject
//
// Every result carries a Trace, one Step per stage the frame went through, for `linerate trace`
// and for mismatch reports.
package model
