#pragma once
// How the process asks glibc's malloc to keep memory it has freed.

namespace storyreel {

/// A build allocates and frees the same large buffers over and over (decoded boards,
/// converted pictures, encoder tables). By default glibc hands each one back to the
/// kernel on free and takes fresh pages on the next allocation, paying a page fault per
/// 4 KiB: on the virtual machines this runs on that was a third of a build's CPU.
/// Buffers up to 256 MiB come from the heap instead, and the heap keeps up to 1 GiB of
/// freed memory for reuse (peak memory is unchanged: it is what was in use at the peak).
void keep_freed_memory_for_reuse();

}  // namespace storyreel
