#pragma once
// Putting a copy of a file beside another one at the cost of what the filesystem must do.
//
// A published movie and an editor's pulled copy are independent files: a later patch of
// the build's movie (stages/movie_patch.h) must never show through them. A full copy
// gives that, but costs the whole movie each night. The cheapest independent copy is
// tried first:
//   1. reflink (ioctl FICLONE): XFS with reflink=1, Btrfs, bcachefs; the copy shares the
//      source's blocks until either is written (copy on write), so it costs metadata only;
//   2. copy_file_range(2): the kernel copies without passing the bytes through the process,
//      server-side on NFS 4.2 and SMB3, and may itself share blocks where it can;
//   3. a plain read/write copy.
// The method that was used is returned, so publish and pull can say it and tests can tell.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace storyreel::publish {

/// How a file was copied, cheapest first.
enum class CopyMethod { reflink, copy_file_range, plain };

/// "reflink", "copy_file_range" or "copy", as manifests and the command line say it.
std::string copy_method_name(CopyMethod method);

/// The method named by `name` (as copy_method_name writes it), or nothing.
std::optional<CopyMethod> copy_method_named(const std::string& name);

/// The cheapest method copy_file_independently() may try: reflink, unless the environment
/// variable STORYREEL_COPY_METHOD names a costlier one ("copy_file_range" or "copy"), to
/// measure each path or test the fallbacks on a filesystem that can reflink.
CopyMethod cheapest_allowed_copy_method();

/// Creates `to` (which must not exist) as an independent copy of `from` with mode 0644
/// (before the umask), trying reflink, then copy_file_range, then a plain copy, starting
/// at `cheapest`. Returns the method that made the copy. Throws PublishError naming both
/// files and what to do; a partial `to` is removed.
CopyMethod copy_file_independently(const std::filesystem::path& from,
                                   const std::filesystem::path& to,
                                   CopyMethod cheapest = cheapest_allowed_copy_method());

}  // namespace storyreel::publish
