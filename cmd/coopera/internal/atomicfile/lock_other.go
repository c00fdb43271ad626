//go:build !unix

package atomicfile

import "os"

// lockTemp does nothing where flock(2) is missing: Clean then removes only
// temporary files old enough to be a dead writer's.
func lockTemp(*os.File) {}

func live(string) bool { return false }
