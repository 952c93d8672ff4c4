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

// DescribeFrame decodes an Ethernet frame without FCS into one line, down to the transport
// header (payloads are not decoded: a UDP port that looks like VXLAN says nothing here).
func DescribeFrame(frame []byte) string {
	var (
		eth   layers.Ethernet
		dot1q layers.Dot1Q
		arp   layers.ARP
		ip4   layers.IPv4
		ip6   layers.IPv6
		udp   layers.UDP
		tcp   layers.TCP
		icmp  layers.ICMPv4
		pl    gopacket.Payload
	)
	p := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &dot1q, &arp, &ip4, &ip6, &udp, &tcp, &icmp, &pl)
	p.IgnoreUnsupported = true
	var decoded []gopacket.LayerType
	err := p.DecodeLayers(frame, &decoded)
	var parts []string
	tags := 0
	for _, t := range decoded {
		if t == layers.LayerTypeDot1Q {
			tags++
		}
	}
	for _, t := range decoded {
		switch t {
		case layers.LayerTypeEthernet:
			parts = append(parts, fmt.Sprintf("%s > %s %s", eth.SrcMAC, eth.DstMAC, eth.EthernetType))
		case layers.LayerTypeDot1Q:
			if tags > 1 { // one struct holds the innermost tag only
				parts = append(parts, fmt.Sprintf("%d tags, inner vlan %d %s", tags, dot1q.VLANIdentifier, dot1q.Type))
				tags = -1
			} else if tags == 1 {
				parts = append(parts, fmt.Sprintf("vlan %d %s", dot1q.VLANIdentifier, dot1q.Type))
			}
		case layers.LayerTypeARP:
			parts = append(parts, fmt.Sprintf("arp op %d %v > %v", arp.Operation, ipBytes(arp.SourceProtAddress), ipBytes(arp.DstProtAddress)))
		case layers.LayerTypeIPv4:
			parts = append(parts, fmt.Sprintf("ipv4 %s > %s ttl %d len %d ihl %d csum 0x%04x", ip4.SrcIP, ip4.DstIP, ip4.TTL, ip4.Length, ip4.IHL, ip4.Checksum))
		case layers.LayerTypeIPv6:
			parts = append(parts, fmt.Sprintf("ipv6 %s > %s", ip6.SrcIP, ip6.DstIP))
		case layers.LayerTypeUDP:
			parts = append(parts, fmt.Sprintf("udp %d > %d", udp.SrcPort, udp.DstPort))
		case layers.LayerTypeTCP:
			parts = append(parts, fmt.Sprintf("tcp %d > %d", tcp.SrcPort, tcp.DstPort))
		case layers.LayerTypeICMPv4:
			parts = append(parts, fmt.Sprintf("icmp %s", icmp.TypeCode))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%d bytes", len(frame))
	}
	if err != nil {
		parts = append(parts, "decode error: "+err.Error())
	}
	return fmt.Sprintf("%s (%d bytes)", strings.Join(parts, ", "), len(frame))
}

func ipBytes(b []byte) string {
	if len(b) != 4 {
		return fmt.Sprintf("%x", b)
	}
	return fmt.Sprintf("%d.%d.%d.%d", b[0], b[1], b[2], b[3])
}
