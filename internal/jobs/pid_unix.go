//go:build unix

package jobs

import (
	"errors"
	"os"
	"syscall"
)

// processExists reports whether a process with this ID runs on this host.
func processExists(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
