package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newReproduceCmd is a placeholder until issue 8 lands; it is replaced whole.
func newReproduceCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "reproduce",
		Short:  "not built yet (issue 8)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("reproduce is not built yet (issue 8)")
		},
	}
}
