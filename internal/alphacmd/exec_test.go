package alphacmd

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// execRoot runs alphamat with args in process, with empty stdin, and returns
// stdout, stderr and the command's error.
func execRoot(ctx context.Context, t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	out, errOut, _, err := execAll(ctx, args)
	return out, errOut, err
}

// execCode is execRoot that maps the error to the exit code as Main does
// (printing it on stderr).
func execCode(ctx context.Context, t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	out, errOut, code, _ := execAll(ctx, args)
	return out, errOut, code
}

func execAll(ctx context.Context, args []string) (stdout, stderr string, code int, err error) {
	var out, errOut bytes.Buffer
	root := NewRoot(&IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	root.SetArgs(args)
	err = root.ExecuteContext(ctx)
	code = exitCode(err, &errOut)
	return out.String(), errOut.String(), code, err
}
