//go:build linux

package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// PingOptions configure one run of ping. Zero values take the defaults.
type PingOptions struct {
	Count    int           // echo requests to send (-c; 0: 3)
	Interval time.Duration // between requests (-i; 0: 200ms)
	Wait     time.Duration // for a reply after the last request (-W; 0: 1s)
	Size     int           // ICMP payload bytes (-s; 0: ping's 56); the IPv4 packet is Size+28
	DF       bool          // set Don't Fragment and never fragment locally (-M do)
}

func (o *PingOptions) defaults() {
	if o.Count <= 0 {
		o.Count = 3
	}
	if o.Interval <= 0 {
		o.Interval = 200 * time.Millisecond
	}
	if o.Wait <= 0 {
		o.Wait = time.Second
	}
}

// PingResult is what one run of ping reported.
type PingResult struct {
	Transmitted int // echo requests sent
	Received    int // echo replies received
	Errors      int // ICMP errors and local errors ("+N errors")
	// FragNeededMTU is the next-hop MTU of the first "Frag needed and DF set (mtu = N)" error a
	// router sent back (ICMP type 3 code 4), 0 if none came; FragNeededFrom is its source.
	FragNeededMTU  int
	FragNeededFrom netip.Addr
	// LocalMTU is the MTU of the first "local error: message too long, mtu=N": the host's own
	// kernel refused to send, from the path MTU it had learned (or its interface MTU).
	LocalMTU int
	Output   string // stdout and stderr
	Duration time.Duration
}

// MTU returns the MTU the run was told about: from the router's frag-needed error, otherwise
// from a local error, otherwise 0.
func (r PingResult) MTU() int {
	if r.FragNeededMTU != 0 {
		return r.FragNeededMTU
	}
	return r.LocalMTU
}

// Ping runs iputils ping in from's namespace towards dst (numeric output, no name lookups) and
// parses what it printed. A run that got no reply is no error: the result says so. The error is
// for a run that could not be made or whose summary is missing (ctx done, ping not installed).
func Ping(ctx context.Context, from *Host, dst netip.Addr, opt PingOptions) (PingResult, error) {
	opt.defaults()
	args := []string{"netns", "exec", from.NS, "ping", "-n", "-c", strconv.Itoa(opt.Count),
		"-i", seconds(opt.Interval), "-W", seconds(opt.Wait)}
	if opt.Size > 0 {
		args = append(args, "-s", strconv.Itoa(opt.Size))
	}
	if opt.DF {
		args = append(args, "-M", "do")
	}
	args = append(args, dst.String())
	start := time.Now()
	out, runErr := command(ctx, "ip", args...).CombinedOutput()
	r, err := parsePing(string(out))
	r.Duration = time.Since(start)
	if err != nil {
		return r, fmt.Errorf("e2e: ping %s from %s: %w (%v): %s", dst, from, err, errors.Join(runErr, ctx.Err()),
			strings.TrimSpace(string(out)))
	}
	if ctx.Err() != nil {
		return r, fmt.Errorf("e2e: ping %s from %s: %w", dst, from, ctx.Err())
	}
	return r, nil
}

// seconds formats d as ping's -i and -W take it: decimal seconds.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

var (
	// 3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 406ms
	pingStatsRE = regexp.MustCompile(`(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+(\d+) errors)?`)
	// From 192.0.2.1 icmp_seq=1 Frag needed and DF set (mtu = 1280)
	fragNeededRE = regexp.MustCompile(`From (\S+?):? .*Frag needed and DF set \(mtu = (\d+)\)`)
	// ping: local error: message too long, mtu=1280 (on stderr)
	localMTURE = regexp.MustCompile(`local error: message too long, mtu=(\d+)`)
)

// parsePing reads the output of iputils ping (20221126 and nearby).
func parsePing(out string) (PingResult, error) {
	r := PingResult{Output: out}
	m := pingStatsRE.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no statistics line")
	}
	r.Transmitted, _ = strconv.Atoi(m[1])
	r.Received, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		r.Errors, _ = strconv.Atoi(m[3])
	}
	if m := fragNeededRE.FindStringSubmatch(out); m != nil {
		r.FragNeededMTU, _ = strconv.Atoi(m[2])
		r.FragNeededFrom, _ = netip.ParseAddr(m[1])
	}
	if m := localMTURE.FindStringSubmatch(out); m != nil {
		r.LocalMTU, _ = strconv.Atoi(m[1])
	}
	return r, nil
}
