package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newBenchCmd is a placeholder until issue 6 lands; it is replaced whole.
func newBenchCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "bench",
		Short:  "not built yet (issue 6)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("bench is not built yet (issue 6)")
		},
	}
}
