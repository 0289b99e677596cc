package kernels

// ForgetTables drops the tables loaded so far, so that a test sees the
// files of its own cache directory.
func ForgetTables() { loaded.Clear() }
