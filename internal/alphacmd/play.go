package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newPlayCmd is a placeholder until issue 7 lands; it is replaced whole.
func newPlayCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "play",
		Short:  "not built yet (issue 7)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("play is not built yet (issue 7)")
		},
	}
}
