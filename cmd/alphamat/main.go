// Command alphamat discovers fast matrix-multiplication schemes and turns
// them into Go kernels. Run "alphamat help" for the subcommands.
package main

import (
	"os"

	"github.com/alphamat/alphamat/internal/alphacmd"
)

func main() { os.Exit(alphacmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
