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

// TracepathMaxHops bounds the hops Tracepath probes (tracepath -m): a path through one router
// has two, and a hop that does not answer costs about 3.3 seconds (three probes of 1s and a bit).
const TracepathMaxHops = 3

// Trace is what one run of tracepath reported.
type Trace struct {
	// Hops[i] is the address that answered the probes with TTL i+1 (the router's
	// time-exceeded, or the destination's port-unreachable), the zero Addr for "no reply"; up to
	// the last TTL tracepath printed.
	Hops    []netip.Addr
	Reached bool // the destination answered
	// Unreachable is the first mark of an ICMP destination unreachable that answered a probe
	// ("!N" network, "!H" host, "!P" protocol, "!A" administratively prohibited...), "" if none.
	Unreachable string
	// PMTU is the path MTU tracepath ended with: the "Resume: pmtu N" line, or the last
	// "pmtu N" seen.
	PMTU     int
	Output   string
	Duration time.Duration
}

// Tracepath runs `tracepath -n -m TracepathMaxHops dst` in from's namespace and parses the
// hops and the path MTU. A path that does not reach dst is no error: the Trace says so.
func Tracepath(ctx context.Context, from *Host, dst netip.Addr) (Trace, error) {
	return TracepathLen(ctx, from, dst, 0)
}

// TracepathLen is Tracepath with probes of length bytes (tracepath -l; 0: the path MTU, as
// Tracepath). Short probes find the hops where full-size ones are too slow: a simulated board's
// UART takes about as long as tracepath's 1 s wait per probe to carry a 1500-byte one.
func TracepathLen(ctx context.Context, from *Host, dst netip.Addr, length int) (Trace, error) {
	start := time.Now()
	args := []string{"netns", "exec", from.NS, "tracepath", "-n", "-m", strconv.Itoa(TracepathMaxHops)}
	if length > 0 {
		args = append(args, "-l", strconv.Itoa(length))
	}
	out, runErr := command(ctx, "ip", append(args, dst.String())...).CombinedOutput()
	tr, err := parseTracepath(string(out))
	tr.Duration = time.Since(start)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return tr, fmt.Errorf("e2e: tracepath %s from %s: %w (%v): %s", dst, from, err, runErr,
			strings.TrimSpace(string(out)))
	}
	return tr, nil
}

// String summarizes the trace: "hops 192.0.2.1 * 203.0.113.2 reached, pmtu 1280" ("*": no
// reply).
func (tr Trace) String() string {
	var b strings.Builder
	b.WriteString("hops")
	for _, h := range tr.Hops {
		if h.IsValid() {
			b.WriteString(" " + h.String())
		} else {
			b.WriteString(" *")
		}
	}
	if len(tr.Hops) == 0 {
		b.WriteString(" none")
	}
	if tr.Reached {
		b.WriteString(" reached")
	} else {
		b.WriteString(" not reached")
	}
	if tr.Unreachable != "" {
		b.WriteString(" " + tr.Unreachable)
	}
	fmt.Fprintf(&b, ", pmtu %d", tr.PMTU)
	return b.String()
}

var (
	// " 1?: [LOCALHOST]   pmtu 1500", " 2:  203.0.113.2   0.018ms reached", " 3:  no reply"
	traceHopRE  = regexp.MustCompile(`^\s*(\d+)\??:\s+(\S+)`)
	tracePMTURE = regexp.MustCompile(`\bpmtu (\d+)`)
	// " 1:  192.0.2.1     0.054ms !N"
	traceUnreachRE = regexp.MustCompile(`\s(![A-Z0-9]+)\s*$`)
	// "     Resume: pmtu 1280 hops 2 back 2 "
	traceResumeRE = regexp.MustCompile(`Resume: pmtu (\d+)`)
)

// parseTracepath reads the output of iputils tracepath -n (20221126 and nearby). Quirks:
//
//   - The first hop is often printed twice (tracepath repeats the first probe).
//   - When a probe is too big for the next link, the router's frag-needed error is printed as a
//     line of that probe's TTL, naming the router and "pmtu N" (" 2:  192.0.2.1 ... pmtu 1280"),
//     and the TTL is probed again with the smaller size. Such a line is not an answer for
//     the TTL: only the other lines name the hop.
//   - "no reply" lines hold a hop nobody answered for (after about 3.3s each).
//   - An ICMP unreachable is marked at the end of its line: " 1:  192.0.2.1  0.054ms !N".
//   - The exit status is 0 also when the destination was not reached.
func parseTracepath(out string) (Trace, error) {
	tr := Trace{Output: out}
	hops := map[int]netip.Addr{}
	maxTTL := 0
	for _, line := range strings.Split(out, "\n") {
		if m := traceResumeRE.FindStringSubmatch(line); m != nil {
			tr.PMTU, _ = strconv.Atoi(m[1])
			continue
		}
		pm := tracePMTURE.FindStringSubmatch(line)
		if pm != nil {
			tr.PMTU, _ = strconv.Atoi(pm[1])
		}
		m := traceHopRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ttl, _ := strconv.Atoi(m[1])
		if m[2] != "[LOCALHOST]" && ttl > maxTTL {
			maxTTL = ttl
		}
		if m[2] == "[LOCALHOST]" || m[2] == "no" || pm != nil {
			continue
		}
		a, err := netip.ParseAddr(m[2])
		if err != nil {
			return tr, fmt.Errorf("hop %d: %q is no address", ttl, m[2])
		}
		if _, ok := hops[ttl]; !ok {
			hops[ttl] = a
		}
		if strings.Contains(line, "reached") {
			tr.Reached = true
		}
		if u := traceUnreachRE.FindStringSubmatch(line); u != nil && tr.Unreachable == "" {
			tr.Unreachable = u[1]
		}
	}
	if maxTTL == 0 {
		return tr, errors.New("no hop lines")
	}
	tr.Hops = make([]netip.Addr, maxTTL)
	for ttl, a := range hops {
		tr.Hops[ttl-1] = a
	}
	return tr, nil
}
