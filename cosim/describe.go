package cosim

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/linerate/linerate/hostdrv/punt"
)

// Describe decodes a frame into one line: the punt header (for CPU frames), Ethernet, and the
// network and transport headers gopacket recognises. Port frames carry their FCS (stripped here).
func Describe(data []byte, cpu bool) string {
	var parts []string
	frame := data
	if cpu {
		if len(data) < punt.HeaderLen {
			return fmt.Sprintf("short punt frame (%d bytes)", len(data))
		}
		h := data[:punt.HeaderLen]
		r := punt.Reason(h[5])
		parts = append(parts, fmt.Sprintf("punt seq=%d reason=%s in_port=%d lpm_hit=%d lpm=%d adj=%d egress=%d len=%d",
			binary.BigEndian.Uint32(h), r, h[6], h[7]&1, binary.BigEndian.Uint16(h[8:]), binary.BigEndian.Uint16(h[10:]), h[12],
			binary.BigEndian.Uint16(h[14:])))
		frame = data[punt.HeaderLen:]
	} else if len(frame) >= 4 {
		frame = frame[:len(frame)-4]
	}
	parts = append(parts, DescribeFrame(frame))
	return strings.Join(parts, " | ")
}

// DescribeFrame decodes an Ethernet frame without FCS into one line.
func DescribeFrame(frame []byte) string {
	pkt := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	var parts []string
	for _, l := range pkt.Layers() {
		switch v := l.(type) {
		case *layers.Ethernet:
			parts = append(parts, fmt.Sprintf("%s > %s %s", v.SrcMAC, v.DstMAC, v.EthernetType))
		case *layers.Dot1Q:
			parts = append(parts, fmt.Sprintf("vlan %d %s", v.VLANIdentifier, v.Type))
		case *layers.ARP:
			parts = append(parts, fmt.Sprintf("arp op %d %v > %v", v.Operation, ipBytes(v.SourceProtAddress), ipBytes(v.DstProtAddress)))
		case *layers.IPv4:
			parts = append(parts, fmt.Sprintf("ipv4 %s > %s ttl %d len %d ihl %d csum 0x%04x", v.SrcIP, v.DstIP, v.TTL, v.Length, v.IHL, v.Checksum))
		case *layers.IPv6:
			parts = append(parts, fmt.Sprintf("ipv6 %s > %s", v.SrcIP, v.DstIP))
		case *layers.UDP:
			parts = append(parts, fmt.Sprintf("udp %d > %d", v.SrcPort, v.DstPort))
		case *layers.TCP:
			parts = append(parts, fmt.Sprintf("tcp %d > %d", v.SrcPort, v.DstPort))
		case *layers.ICMPv4:
			parts = append(parts, fmt.Sprintf("icmp %s", v.TypeCode))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%d bytes", len(frame))
	}
	if el := pkt.ErrorLayer(); el != nil {
		parts = append(parts, "decode error: "+el.Error().Error())
	}
	return fmt.Sprintf("%s (%d bytes)", strings.Join(parts, ", "), len(frame))
}

func ipBytes(b []byte) string {
	if len(b) != 4 {
		return fmt.Sprintf("%x", b)
	}
	return fmt.Sprintf("%d.%d.%d.%d", b[0], b[1], b[2], b[3])
}
