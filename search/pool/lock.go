//go:build unix

package pool

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// LockFile is the name of the lock file of a run directory. The process
// that holds the directory holds a POSIX write lock on it and has written
// its pid into it. The file is never removed: removing a lock file races
// with a process that is about to lock it.
const LockFile = "lock"

// lock is a held lock on a run directory: the open lock file. It is a raw
// descriptor, not an *os.File, so that no finalizer closes it (and drops
// the lock) while the pool that holds it is still in use.
type lock struct{ fd int }

// lockDir takes the lock of the run directory path, or fails naming the
// process that holds it.
func lockDir(path string) (*lock, error) {
	name := filepath.Join(path, LockFile)
	fd, err := syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("run directory: lock: %w", &os.PathError{Op: "open", Path: name, Err: err})
	}
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
	if err := syscall.FcntlFlock(uintptr(fd), syscall.F_SETLK, &lk); err != nil {
		defer syscall.Close(fd)
		if !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EACCES) {
			return nil, fmt.Errorf("run directory: lock %s: %w", name, err)
		}
		return nil, fmt.Errorf("run directory %s is in use by another process (pid %d, see %s): wait for it to end or use another directory",
			path, holder(fd), name)
	}
	// Record the pid for people; the lock itself is what counts.
	pid := []byte(strconv.Itoa(os.Getpid()) + "\n")
	if err := syscall.Ftruncate(fd, 0); err == nil {
		syscall.Pwrite(fd, pid, 0)
	}
	return &lock{fd: fd}, nil
}

// holder returns the pid of the process that holds the lock on the open
// lock file fd, from the kernel or else from the file.
func holder(fd int) int {
	q := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
	if err := syscall.FcntlFlock(uintptr(fd), syscall.F_GETLK, &q); err == nil && q.Type != syscall.F_UNLCK && q.Pid > 0 {
		return int(q.Pid)
	}
	buf := make([]byte, 32)
	n, _ := syscall.Pread(fd, buf, 0)
	pid, _ := strconv.Atoi(string(bytes.TrimSpace(buf[:max(n, 0)])))
	return pid
}

// release closes the lock file, which drops the lock.
func (l *lock) release() error {
	if l == nil || l.fd < 0 {
		return nil
	}
	err := syscall.Close(l.fd)
	l.fd = -1
	if err != nil {
		return fmt.Errorf("run directory: unlock: %w", err)
	}
	return nil
}
