#pragma once
// How the process asks glibc's malloc to keep memory it has freed.

namespace storyreel {

/// A build allocates and frees the same large buffers over and over (decoded boards,
/// converted pictures, encoder tables). By default glibc hands each one back to the
/// kernel on free and takes fresh pages on the next allocation, paying a page fault per
/// 4 KiB: on the virtual machines this runs on that was a third of a build's CPU.
/// Buffers up to 256 MiB come from the heap instead, the heap keeps up to 1 GiB of freed
/// memory for reuse, and there is one heap for all threads: a board is decoded on one
/// thread and freed on another, and per-thread heaps kept each other's leftovers (the
/// feature-scale DNxHR LB build: 41 s and 952 MiB peak with one heap, 55 s and 1,078 MiB
/// with two, 95 s and 999 MiB with glibc's defaults).
void keep_freed_memory_for_reuse();

}  // namespace storyreel
