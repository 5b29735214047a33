#include <malloc.h>

/* Each thread's heap grows 16 MiB at a time, not 128 KiB: a large manifest's parts are
   read on every core, and a heap that grows in small steps makes an mprotect call each
   time, thousands in one validate (a tenth of its time). The pages are only reserved;
   the memory a run uses is what it touches. glibc gives a thread's heap its room when
   the heap is made, at the thread's first allocation, so this must run before any
   thread starts: before main, as a constructor. */
__attribute__((constructor)) static void dbiam_grow_heaps_in_large_steps(void) {
    mallopt(M_TOP_PAD, 16 << 20);
}
