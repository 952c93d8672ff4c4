package tables

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/linerate/linerate/test/configs" // its non-test files do not import tables
)

// bulkSizes are the sizes of the simulated build that the bulk tests load configurations into.
var bulkSizes = Sizes{Ports: 4, LPM: 2048, Adj: 256, RAddr: 16}

// bulkImage compiles a configuration given as a file of test/configs ("demo.conf") or as
// "large(N,V)" for configs.Large(N, V).
func bulkImage(t testing.TB, name string) *Image {
	t.Helper()
	var n, v int
	if _, err := fmt.Sscanf(name, "large(%d,%d)", &n, &v); err == nil {
		c, err := ParseConfig(name, strings.NewReader(configs.Large(n, v)), bulkSizes)
		if err != nil {
			t.Fatal(err)
		}
		im, err := Compile(c, bulkSizes)
		if err != nil {
			t.Fatal(err)
		}
		return im
	}
	im, _, err := Build("../test/configs/"+name, bulkSizes)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// TestPlanBulk loads one configuration into an empty table, then another on top of it, and
// checks the second plan (make-before-break at every write) and its TCAM moves. A bulk change
// (many adds compared to the entries in place) re-lays the table first, so an entry in place
// moves at most once.
func TestPlanBulk(t *testing.T) {
	for _, tc := range []struct{ from, to string }{
		{"demo.conf", "large.conf"},
		{"large.conf", "demo.conf"},
		{"large.conf", "large(1200,1)"},
		{"large(1200,1)", "large.conf"},
		{"demo.conf", "large(1200,1)"},
	} {
		t.Run(tc.from+"->"+tc.to, func(t *testing.T) {
			from, to := bulkImage(t, tc.from), bulkImage(t, tc.to)
			p1 := mustPlan(t, NewImage(bulkSizes), from, PlanOptions{})
			if p1.Moves != 0 {
				t.Errorf("load into an empty table: %v", p1)
			}
			p2 := mustPlan(t, p1.Result, to, PlanOptions{})
			checkPlan(t, rand.New(rand.NewPCG(1, 2)), p1.Result, to, p2, true)
			t.Logf("%v", p2)
			if in := p2.Unchanged + p2.Changed + p2.Removed; p2.Moves > in {
				t.Errorf("%d moves, more than one per entry in place (%d)", p2.Moves, in)
			}
		})
	}
}

// TestPlanGrow loads small random configurations, then grows each one to many more routes in
// one plan (the case the re-layout is for), on a table left by a plan, as read back, packed by
// Compile or scrambled, and checks every plan with checkPlan. When the plan adds more routes than
// the table held, no entry may move more than once.
func TestPlanGrow(t *testing.T) {
	for _, s := range []Sizes{planSizes, {Ports: 4, LPM: 130, Adj: 40, RAddr: 8}} {
		t.Run(fmt.Sprint(s.LPM), func(t *testing.T) {
			moved := 0
			for seed := uint64(1); seed <= 40; seed++ {
				rng := rand.New(rand.NewPCG(seed, 0x6a0))
				g := newNetGen(rng, 3+rng.IntN(30))
				small, ok := g.image(t, s)
				if !ok {
					continue
				}
				g.maxRoutes = 60 + rng.IntN(60)
				g.mutate()
				g.addRoutes(g.maxRoutes)
				big, ok := g.image(t, s)
				if !ok {
					continue
				}
				var cur *Image
				switch rng.IntN(4) {
				case 0:
					cur = small // packed by Compile
				case 1:
					cur = readBack(mustPlan(t, NewImage(s), small, PlanOptions{}).Result)
				case 2:
					cur = scramble(rng, small)
				default:
					cur = mustPlan(t, NewImage(s), small, PlanOptions{}).Result
				}
				p, err := Plan(cur, big, PlanOptions{})
				mbb := true
				if errors.Is(err, ErrNeedsBreak) {
					p, err = Plan(cur, big, PlanOptions{AllowBreak: true})
					mbb = false
				}
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				checkPlan(t, rng, cur, big, p, mbb)
				in := p.Unchanged + p.Changed + p.Removed
				if p.Repaired == 0 && p.Added > in && p.Moves > in {
					t.Errorf("seed %d: %v: more moves than entries in place", seed, p)
				}
				if t.Failed() {
					t.Fatalf("seed %d: %v", seed, p)
				}
				moved += p.Moves
			}
			t.Logf("%d moves", moved)
		})
	}
}
