package punt

import (
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Layer type numbers of this package. gopacket leaves 2000 and up to applications; linerate
// gives hostdrv/punt the numbers 2000-2009 (other packages must pick other numbers:
// registering a number twice panics at init).
const (
	layerNumPunt   = 2000
	layerNumInject = 2001
)

var (
	// LayerTypePunt decodes a frame from the CPU stream: punt header, then Ethernet.
	LayerTypePunt = gopacket.RegisterLayerType(layerNumPunt, gopacket.LayerTypeMetadata{
		Name: "Punt", Decoder: gopacket.DecodeFunc(decodePunt)})
	// LayerTypeInject decodes a frame for the inject stream: inject header, then Ethernet.
	LayerTypeInject = gopacket.RegisterLayerType(layerNumInject, gopacket.LayerTypeMetadata{
		Name: "Inject", Decoder: gopacket.DecodeFunc(decodeInject)})
)

// Layer is the punt header as a gopacket layer, so that
//
//	gopacket.NewPacket(cpuFrame, punt.LayerTypePunt, gopacket.Default)
//
// decodes a punted frame end to end (punt header, Ethernet, IPv4, ...).
type Layer struct {
	layers.BaseLayer
	Header
}

// LayerType returns LayerTypePunt.
func (l *Layer) LayerType() gopacket.LayerType { return LayerTypePunt }

// CanDecode returns LayerTypePunt.
func (l *Layer) CanDecode() gopacket.LayerClass { return LayerTypePunt }

// NextLayerType returns Ethernet: the punted frame follows the header.
func (l *Layer) NextLayerType() gopacket.LayerType { return layers.LayerTypeEthernet }

// DecodeFromBytes decodes the header; the rest of data is the payload (the original frame).
// A payload shorter than the header's Length marks the packet truncated.
func (l *Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	h, err := Parse(data)
	if err != nil {
		return err
	}
	l.Header = h
	l.BaseLayer = layers.BaseLayer{Contents: data[:HeaderLen], Payload: data[HeaderLen:]}
	if len(l.Payload) < int(h.Length) {
		df.SetTruncated()
	}
	return nil
}

// SerializeTo prepends the header. With opts.FixLengths, Length is set to the length of what
// is already in b (the frame).
func (l *Layer) SerializeTo(b gopacket.SerializeBuffer, opts gopacket.SerializeOptions) error {
	if opts.FixLengths {
		l.Length = uint16(len(b.Bytes()))
	}
	w, err := b.PrependBytes(HeaderLen)
	if err != nil {
		return err
	}
	l.Header.put(w)
	return nil
}

func decodePunt(data []byte, p gopacket.PacketBuilder) error {
	l := &Layer{}
	if err := l.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(l)
	return p.NextDecoder(l.NextLayerType())
}

// InjectLayer is the inject header as a gopacket layer.
type InjectLayer struct {
	layers.BaseLayer
	InjectHeader
}

// LayerType returns LayerTypeInject.
func (l *InjectLayer) LayerType() gopacket.LayerType { return LayerTypeInject }

// CanDecode returns LayerTypeInject.
func (l *InjectLayer) CanDecode() gopacket.LayerClass { return LayerTypeInject }

// NextLayerType returns Ethernet: the frame to send follows the header.
func (l *InjectLayer) NextLayerType() gopacket.LayerType { return layers.LayerTypeEthernet }

// DecodeFromBytes decodes the header; the rest of data is the payload (the frame to send).
func (l *InjectLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	h, err := ParseInject(data)
	if err != nil {
		return err
	}
	l.InjectHeader = h
	l.BaseLayer = layers.BaseLayer{Contents: data[:InjectHeaderLen], Payload: data[InjectHeaderLen:]}
	return nil
}

// SerializeTo prepends the header.
func (l *InjectLayer) SerializeTo(b gopacket.SerializeBuffer, opts gopacket.SerializeOptions) error {
	w, err := b.PrependBytes(InjectHeaderLen)
	if err != nil {
		return err
	}
	copy(w, l.InjectHeader.Marshal())
	return nil
}

func decodeInject(data []byte, p gopacket.PacketBuilder) error {
	l := &InjectLayer{}
	if err := l.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(l)
	return p.NextDecoder(l.NextLayerType())
}

// Compile-time checks of the gopacket interfaces.
var (
	_ gopacket.DecodingLayer     = (*Layer)(nil)
	_ gopacket.SerializableLayer = (*Layer)(nil)
	_ gopacket.DecodingLayer     = (*InjectLayer)(nil)
	_ gopacket.SerializableLayer = (*InjectLayer)(nil)
)
