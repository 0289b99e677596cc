package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newLiftCmd is a placeholder until issue 4 lands; it is replaced whole.
func newLiftCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "lift",
		Short:  "not built yet (issue 4)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("lift is not built yet (issue 4)")
		},
	}
}
