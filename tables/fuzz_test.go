package tables

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

var fuzzErrorPrefix = regexp.MustCompile(`^fuzz\.conf:[0-9]+: `)

// FuzzParseConfig checks that ParseConfig never panics and that every error it returns starts
// with "fuzz.conf:LINE: "; that an accepted configuration compiles or fails with a message that
// names the file; and that a compiled image decides the configuration's interesting destinations
// exactly as the RIB reference does.
func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"../test/configs/demo.conf", "../test/configs/small.conf"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
		for _, line := range strings.Split(string(b), "\n") {
			f.Add(prelude + line)
		}
	}
	f.Add(prelude + "route add 10.0.0.0/8 via 192.0.2.2 dev port0\nneigh add 192.0.2.2 lladdr 02:00:00:00:01:02 dev port0\n")
	f.Add(prelude + "route add 192.0.2.64/32 dev port0\nneigh add 192.0.2.64 lladdr 02:00:00:00:01:40 dev port0\n")
	f.Add("link set dev port0 up mtu 9198 address 02:00:00:00:00:01 # c\r\n\n#\n")
	f.Add("route add blackhole default\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseConfig("fuzz.conf", strings.NewReader(text), SimSizes)
		if err != nil {
			if !fuzzErrorPrefix.MatchString(err.Error()) {
				t.Fatalf("error without file:line: %q", err)
			}
			return
		}
		im, err := Compile(c, SimSizes)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.conf:") {
				t.Fatalf("compile error without the file name: %q", err)
			}
			return
		}
		checkImageShape(t, im, SimSizes)
		checkAgainstResolver(t, im, c, configKeys(c))
	})
}
