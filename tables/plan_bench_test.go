package tables

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// realPrefix is one prefix of the real-world set, with the AS number that originates it.
type realPrefix struct {
	key routeKey
	asn uint32
}

var (
	realOnce     sync.Once
	realPrefixes []realPrefix
	realErr      error
)

// loadRealPrefixes reads ipv4-prefixes.txt.gz, 564,580 IPv4 prefixes ("PREFIX ASN" per line,
// in address order) kept beside the repository (../shared/data from its root), once per test
// binary. It skips the test or benchmark when the file is absent.
//
// The data is derived from the @ip-location-db/asn package. Attribution (CC BY 4.0): IP to AS
// number data from RouteViews (routeviews.org), the Number Resource Organization (nro.net) and
// DB-IP (db-ip.com, "IP to ASN Lite"), as merged by the ip-location-db project.
func loadRealPrefixes(tb testing.TB) []realPrefix {
	tb.Helper()
	realOnce.Do(func() {
		path := filepath.Join("..", "..", "shared", "data", "ipv4-prefixes.txt.gz")
		f, err := os.Open(path)
		if err != nil {
			realErr = err
			return
		}
		defer f.Close()
		z, err := gzip.NewReader(f)
		if err != nil {
			realErr = err
			return
		}
		sc := bufio.NewScanner(z)
		for line := 1; sc.Scan(); line++ {
			p, asn, _ := strings.Cut(sc.Text(), " ")
			pf, err := netip.ParsePrefix(p)
			n, err2 := strconv.ParseUint(asn, 10, 32)
			if err != nil || err2 != nil || !pf.Addr().Is4() {
				realErr = fmt.Errorf("%s:%d: bad line %q", path, line, sc.Text())
				return
			}
			realPrefixes = append(realPrefixes, realPrefix{keyOf(addrU32(pf.Addr()), pf.Bits()), uint32(n)})
		}
		if err := sc.Err(); err != nil {
			realErr = err
		}
	})
	if errors.Is(realErr, fs.ErrNotExist) {
		tb.Skipf("real prefix set not present: %v", realErr)
	}
	if realErr != nil {
		tb.Fatal(realErr)
	}
	return realPrefixes
}

// churn picks a tenth of the routes to withdraw and a tenth as many new prefixes. A new prefix
// is a more-specific of a random route (so it nests, as a deaggregation does), with the length
// of another random route, so new prefixes follow the table's length distribution (mostly /24,
// /23, /22); none is already present.
func churn(rng *rand.Rand, routes []realPrefix) (withdraw []int, add []realPrefix) {
	have := make(map[routeKey]bool, len(routes))
	for _, r := range routes {
		have[r.key] = true
	}
	withdraw = rng.Perm(len(routes))[:len(routes)/10]
	for len(add) < len(routes)/10 {
		base, l := routes[rng.IntN(len(routes))], routes[rng.IntN(len(routes))].key.bits()
		if base.key.bits() >= l {
			continue
		}
		k := keyOf(base.key.value()|rng.Uint32()&^prefixMask(base.key.bits()), l)
		if !have[k] {
			have[k] = true
			add = append(add, realPrefix{k, base.asn})
		}
	}
	return withdraw, add
}

// BenchmarkPlanTCAM inserts every real prefix, one at a time, into an empty TCAM, in file order
// (by address) and shuffled, then applies a churn of 10% withdrawn and 10% new prefixes (one
// update at a time, interleaved), and reports TCAM entry moves per inserted route. "pool" starts
// with all free slots together; "gaps" first shares them evenly among the 33 prefix lengths.
func BenchmarkPlanTCAM(b *testing.B) {
	all := loadRealPrefixes(b)
	for _, order := range []string{"file", "shuffled"} {
		routes := append([]realPrefix(nil), all...)
		if order == "shuffled" {
			rng := rand.New(rand.NewPCG(1, 2))
			rng.Shuffle(len(routes), func(i, j int) { routes[i], routes[j] = routes[j], routes[i] })
		}
		for _, size := range []int{600000, 1 << 20} {
			for _, layout := range []string{"pool", "gaps"} {
				b.Run(fmt.Sprintf("order=%s/size=%d/layout=%s", order, size, layout), func(b *testing.B) {
					benchTCAM(b, routes, size, layout)
				})
			}
		}
	}
}

func benchTCAM(b *testing.B, routes []realPrefix, size int, layout string) {
	var moves, churnMoves, churned int
	var insertTime, churnTime time.Duration
	for i := 0; i < b.N; i++ {
		t := NewTCAM(size)
		if layout == "gaps" {
			var w [33]int
			for l := range w {
				w[l] = 1
			}
			t.Spread(w)
		}
		start := time.Now()
		for _, r := range routes {
			_, m, err := t.Insert(r.key.bits())
			if err != nil {
				b.Fatal(err)
			}
			moves += len(m)
		}
		insertTime += time.Since(start)

		// Churn: withdraw random used slots, add more-specifics, one of each at a time (the
		// order BGP updates come in). A withdrawn route is found by its slot, followed through
		// the moves of the inserts before it.
		rng := rand.New(rand.NewPCG(3, 4))
		withdraw, add := churn(rng, routes)
		victims := make([]int, 0, len(withdraw))
		for s := t.used.next(0); s >= 0 && len(victims) < size; s = t.used.next(s + 1) {
			victims = append(victims, s)
		}
		rng.Shuffle(len(victims), func(i, j int) { victims[i], victims[j] = victims[j], victims[i] })
		victims = victims[:len(withdraw)]
		victimAt := make(map[int]int, len(victims)) // slot -> index in victims
		for k, s := range victims {
			victimAt[s] = k
		}
		start = time.Now()
		for j := range add {
			v := victims[j]
			delete(victimAt, v)
			if err := t.Delete(v); err != nil {
				b.Fatal(err)
			}
			_, m, err := t.Insert(add[j].key.bits())
			if err != nil {
				b.Fatal(err)
			}
			for _, mv := range m {
				if k, ok := victimAt[mv.From]; ok {
					delete(victimAt, mv.From)
					victimAt[mv.To], victims[k] = k, mv.To
				}
			}
			churnMoves += len(m)
			churned++
		}
		churnTime += time.Since(start)
	}
	b.ReportMetric(float64(moves)/float64(b.N*len(routes)), "moves/route")
	b.ReportMetric(float64(b.N*len(routes))/insertTime.Seconds(), "routes/s")
	b.ReportMetric(float64(churnMoves)/float64(churned), "churn-moves/route")
	b.ReportMetric(float64(churned)/churnTime.Seconds(), "churn-routes/s")
}

// realImage builds an image of the given LPM size holding routes, packed longest first from
// index 0 as Compile lays a table out, each route forwarded to one of 64 next hops by its AS
// number.
func realImage(size int, routes []realPrefix) *Image {
	im := NewImage(Sizes{Ports: 4, LPM: size, Adj: 256, RAddr: 4})
	for r := 0; r < 64; r++ {
		im.Adj[r] = AdjEntry{Kind: AdjForward, Port: uint8(r % 4), DstMAC: net.HardwareAddr{2, 0, 0, 1, 0, byte(r)},
			SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, byte(r % 4)}, MTU: 1500}
	}
	sorted := append([]realPrefix(nil), routes...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i].key, sorted[j].key
		if a.bits() != b.bits() {
			return a.bits() > b.bits()
		}
		return a < b
	})
	for i, r := range sorted {
		im.LPM[i] = LPMEntry{Valid: true, Value: r.key.value(), Mask: prefixMask(r.key.bits()), Adj: uint16(r.asn % 64)}
	}
	return im
}

// BenchmarkPlanFullTable runs Plan on the whole real table: a load into an empty device (with
// the free slots shared among the prefix lengths, or packed), then a churn of 10% withdrawn and
// 10% new prefixes applied as 10 successive plans (1% + 1% each, as updates arrive; one plan of
// it all would need more free entries than a 600,000-entry table has), on the loaded table and
// on a table packed as Compile packs it. It reports the planner's routes per second (routes
// added, changed or removed, over the time of the Plan calls), TCAM moves per added route and
// entry writes.
func BenchmarkPlanFullTable(b *testing.B) {
	routes := loadRealPrefixes(b)
	rng := rand.New(rand.NewPCG(5, 6))
	withdraw, add := churn(rng, routes)
	const steps = 10
	for _, size := range []int{600000, 1 << 20} {
		full := realImage(size, routes)
		var wants []*Image
		gone := map[int]bool{}
		for s := 1; s <= steps; s++ {
			for _, j := range withdraw[(s-1)*len(withdraw)/steps : s*len(withdraw)/steps] {
				gone[j] = true
			}
			var now []realPrefix
			for j, r := range routes {
				if !gone[j] {
					now = append(now, r)
				}
			}
			wants = append(wants, realImage(size, append(now, add[:s*len(add)/steps]...)))
		}
		empty := NewImage(full.Sizes)
		for _, packed := range []bool{false, true} {
			opt := PlanOptions{packed: packed}
			name := fmt.Sprintf("size=%d/gaps=%v", size, !packed)
			b.Run(name+"/load", func(b *testing.B) {
				benchPlans(b, empty, []*Image{full}, opt)
			})
			b.Run(name+"/churn", func(b *testing.B) {
				loaded, err := Plan(empty, full, opt)
				if err != nil {
					b.Fatal(err)
				}
				benchPlans(b, loaded.Result, wants, opt)
			})
		}
		b.Run(fmt.Sprintf("size=%d/compiled/churn", size), func(b *testing.B) {
			benchPlans(b, full, wants, PlanOptions{})
		})
	}
}

// benchPlans plans from cur to each image of wants in turn.
func benchPlans(b *testing.B, cur *Image, wants []*Image, opt PlanOptions) {
	var routes, added, moves, writes int
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		im := cur
		for _, want := range wants {
			start := time.Now()
			p, err := Plan(im, want, opt)
			elapsed += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			routes += p.Added + p.Changed + p.Removed
			added += p.Added
			moves += p.Moves
			writes += len(p.Writes)
			im = p.Result
		}
	}
	b.ReportMetric(float64(routes)/elapsed.Seconds(), "routes/s")
	b.ReportMetric(float64(moves)/float64(max(added, 1)), "moves/route")
	b.ReportMetric(float64(writes)/float64(b.N), "writes")
}
