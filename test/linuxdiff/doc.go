// Package linuxdiff is the whole-router differential test against the Linux kernel
// (ARCHITECTURE 3.1 and 5). The configuration file that linerate compiles into its tables is
// applied, unchanged, with `ip -n NS -batch FILE` to a Linux router in a network namespace; the
// same frames go into both routers, and what comes out is compared frame by frame: the kernel is
// an oracle for the whole router that shares no code with linerate.
//
// The helper library has three parts:
//
//   - Lab (lab.go, socket.go; namespaces through hostdrv/netns): a router namespace whose interfaces port0..portN-1 are
//     veth pairs with peer0..peerN-1 in a peer namespace, the sysctls of a plain IPv4 router,
//     the configuration, and one AF_PACKET socket per peer interface to send frames into the
//     router and capture what it sends.
//   - Exchange (exchange.go, frames.go): tags every IPv4 frame with a unique IP identification,
//     sends the frames in small batches, and attributes every frame the kernel emitted to the
//     input that caused it (the input forwarded, an ICMP error quoting it, an ARP request for
//     its next hop, a local reply).
//   - Judge (judge.go): the verdict for one frame, the kernel's outcome against linerate's
//     decision, with the one table of reasons that fit "the kernel did not forward it" and of
//     the reasons linerate leaves to its slow path by design.
//
// Everything here needs root (network namespaces, AF_PACKET); the test skips without it or
// without the `ip` command. Nothing touches the host's own namespace or interfaces.
package linuxdiff
