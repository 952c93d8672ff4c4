module github.com/linerate/linerate

go 1.25.0

require (
	github.com/google/gopacket v1.1.19
	github.com/google/gousb v1.1.3
	github.com/spf13/cobra v1.10.2
	go.bug.st/serial v1.8.0
	golang.org/x/sys v0.43.0
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)
