//go:build !linux

package atomicfile

import "errors"

// SyncFS is unsupported where syncfs(2) is missing: the caller syncs each
// file instead (Staged.Sync).
func SyncFS(dir string) error { return errors.ErrUnsupported }
