package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newTrainCmd is a placeholder until issue 7 lands; it is replaced whole.
func newTrainCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "train",
		Short:  "not built yet (issue 7)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("train is not built yet (issue 7)")
		},
	}
}
