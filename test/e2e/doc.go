// Package e2e is the end-to-end test of a whole router with real Linux hosts on its ports. Every
// port with a router address gets a host: a network namespace holding one interface of that
// port's link, with an address on the port's subnet and a default route via the router. The
// hosts then ping each other, trace the path, meet the smallest MTU and move data over TCP, with
// the ordinary Linux tools (iputils ping and tracepath) and sockets.
//
// The harness does not care what the router is. It takes, per port, the name of an interface
// that already exists in the caller's (root) namespace and is the host side of that port's link:
//
//   - LinuxRouter (linuxrouter.go): a Linux router in a namespace configured with
//     `ip -n NS -batch FILE` from the same file linerate loads, whose ports port0..portN-1 are
//     veth pairs with the other ends in the root namespace. It is the oracle: the scenario must
//     pass against it.
//   - the linerate simulated router, whose ports appear as TAP interfaces in the root namespace.
//
// Parts:
//
//   - Hosts (hosts.go): one namespace per port, built from a *tables.Config.
//   - Ping, Tracepath (ping.go, tracepath.go): run iputils inside a host and parse what it prints.
//   - TCPTransfer (tcp.go): a Go TCP server and client in two hosts, checked by SHA-256.
//   - RunScenario (scenario.go): the checks, for any router behind a Hosts.
//
// Everything that touches namespaces needs root; the tests that do are built only with the
// `netns` tag and fail (not skip) without root.
package e2e
