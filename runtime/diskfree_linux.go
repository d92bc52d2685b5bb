package runtime

import "syscall"

// freeSpace is the room an unprivileged writer has on the file system
// holding dir, in bytes.
func freeSpace(dir string) (float64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return float64(st.Bavail) * float64(st.Bsize), true
}
