package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newVerifyCmd is a placeholder until issue 2 lands; it is replaced whole.
func newVerifyCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "verify",
		Short:  "not built yet (issue 2)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("verify is not built yet (issue 2)")
		},
	}
}
