package alphacmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// newSearchCmd is a placeholder until issue 3 lands; it is replaced whole.
func newSearchCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:    "search",
		Short:  "not built yet (issue 3)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("search is not built yet (issue 3)")
		},
	}
}
