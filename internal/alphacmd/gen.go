package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newGenCmd is a placeholder until issue 5 lands; it is replaced whole.
func newGenCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "gen",
		Short:  "not built yet (issue 5)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("gen is not built yet (issue 5)")
		},
	}
}
