//go:build !linux

package runtime

import "unsafe"

// adviseHuge does nothing where madvise's huge pages do not exist.
func adviseHuge(unsafe.Pointer, uintptr) {}
