//go:build verilator && netns && !boardsim

package hostlink

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/linerate/linerate/cosim/simboard"
	"github.com/linerate/linerate/hostdrv"
	"github.com/linerate/linerate/hostdrv/punt"
)

func sh(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestTAPPortWithNamespaceHost: port 0 of the simulated board is a TAP interface inside a
// network namespace, so Linux is a real host on it. Its ARP request for the router arrives as
// an `arp` punt; the ARP reply the host injects reaches Linux, which then sends its ICMP echo
// to the router's MAC: a `to_me` punt. (Answering by itself is the control plane's job.)
func TestTAPPortWithNamespaceHost(t *testing.T) {
	// built only with the netns tag (make test sets it and runs as root)
	if os.Geteuid() != 0 {
		t.Fatal("needs root for TAP devices and network namespaces")
	}
	ns := fmt.Sprintf("lrtap%d", os.Getpid())
	ifname := fmt.Sprintf("lrt%d", os.Getpid()%100000)
	sh(t, "ip", "netns", "add", ns)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })

	b := startBoard(t, simboard.Options{UARTDiv: 4, NoPTY: true, Socket: filepath.Join(t.TempDir(), "b.sock"),
		Taps: map[int]string{0: ifname}})
	sh(t, "ip", "link", "set", ifname, "netns", ns)
	sh(t, "ip", "-n", ns, "link", "set", ifname, "address", "02:00:00:00:01:02", "up")
	sh(t, "ip", "-n", ns, "addr", "add", "192.0.2.2/24", "dev", ifname)

	ctx := testCtx(t, 5*time.Minute)
	d, err := hostdrv.Open(ctx, b.Device(), hostdrv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	im := compile(t, configText(t, "demo.conf"), d.Info().Sizes())
	if _, err := d.LoadTables(ctx, im, hostdrv.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	routerMAC := net.HardwareAddr{2, 0, 0, 0, 0, 0x10}
	hostMAC := net.HardwareAddr{2, 0, 0, 0, 1, 2}

	pingCtx, stop := context.WithCancel(ctx)
	defer stop()
	go exec.CommandContext(pingCtx, "ip", "netns", "exec", ns, "ping", "-c", "20", "-i", "0.5", "192.0.2.1").Run()

	waitPunt := func(reason punt.Reason) gopacket.Packet {
		t.Helper()
		for {
			select {
			case p := <-d.Punts():
				if p.Header.Reason == reason && p.Header.InPort == 0 {
					return gopacket.NewPacket(p.Frame, layers.LayerTypeEthernet, gopacket.Default)
				}
			case <-time.After(30 * time.Second):
				cs, _ := d.Counters(ctx)
				var nz []string
				for _, c := range cs {
					if c.Value != 0 {
						nz = append(nz, fmt.Sprintf("%s=%d", c.Name, c.Value))
					}
				}
				t.Fatalf("no %s punt from the namespace host; counters %v; board %+v; link %s", reason, nz, b.Stats(),
					sh(t, "ip", "-n", ns, "-s", "link", "show", ifname))
			}
		}
	}
	req := waitPunt(punt.ARP)
	arp, _ := req.Layer(layers.LayerTypeARP).(*layers.ARP)
	if arp == nil || !bytes.Equal(arp.SourceHwAddress, hostMAC) || !net.IP(arp.DstProtAddress).Equal(net.IPv4(192, 0, 2, 1)) {
		t.Fatalf("ARP punt: %v", req)
	}
	// the slow path's answer, by hand: an ARP reply out of port 0
	buf := gopacket.NewSerializeBuffer()
	gopacket.SerializeLayers(buf, gopacket.SerializeOptions{},
		&layers.Ethernet{SrcMAC: routerMAC, DstMAC: hostMAC, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: layers.ARPReply, SourceHwAddress: routerMAC, SourceProtAddress: []byte{192, 0, 2, 1},
			DstHwAddress: hostMAC, DstProtAddress: []byte{192, 0, 2, 2}})
	if err := d.Inject(ctx, 0, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	echo := waitPunt(punt.ToMe)
	icmp, _ := echo.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
	if icmp == nil || icmp.TypeCode.Type() != layers.ICMPv4TypeEchoRequest {
		t.Fatalf("to_me punt is not the ping: %v", echo)
	}
	if out := sh(t, "ip", "-n", ns, "neigh", "show", "192.0.2.1"); !strings.Contains(out, routerMAC.String()) {
		t.Fatalf("the namespace did not learn the router's MAC: %q", out)
	}
	t.Logf("namespace host: ARP punted, reply injected and learnt, ICMP echo punted as to_me")
}
