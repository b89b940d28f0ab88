//go:build unix

package sqldb

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an advisory lock on path, created when missing: shared
// for every process that has the database open, exclusive for a restore,
// so that a restore cannot replace the file under a running server. It
// returns errLocked when another holder's lock conflicts. The lock lasts
// until release, or until the process ends.
func lockFile(path string, exclusive bool) (release func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f.Close, nil
}
