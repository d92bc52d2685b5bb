package runtime

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks the kernel for transparent huge pages (2 MB) under the
// n bytes at p, where the system gives them only on request (the usual
// "madvise" setting): a large synapse array is then faulted in 2 MB at a
// time instead of 4 kB, which took a quarter of W3's construction in page
// faults. An error (an old kernel, huge pages off) changes nothing.
func adviseHuge(p unsafe.Pointer, n uintptr) {
	const page = 4096
	start := (uintptr(p) + page - 1) &^ (page - 1)
	end := (uintptr(p) + n) &^ (page - 1)
	if end <= start {
		return
	}
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start), syscall.MADV_HUGEPAGE)
}
