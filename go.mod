module github.com/linerate/linerate

go 1.22

require (
	github.com/google/gopacket v1.1.19
	github.com/spf13/cobra v1.10.2
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)
