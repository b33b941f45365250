#pragma once
// Pointing a cut list at another copy of its movie.
//
// The lists storyreel writes reference the movie they line up with: FCP 7 XML (`pathurl`)
// and FCPXML (`media-rep src`) by absolute file URL, OTIO by file name relative to the list,
// the EDL's audio event by `* FROM CLIP NAME:`. When the movie is copied and renamed (an
// editor's `pull` under stable names), those references are rewritten to the copy, format
// by format, with the same libraries that wrote them. Nothing else in the list changes.

#include <filesystem>
#include <string>

namespace storyreel {

/// The list `text` (a ".edl", ".otio", ".xml" or ".fcpxml" file's content) with every
/// reference to the movie `from` (its absolute path) made to `to` (absolute). OTIO gets
/// `to`'s file name when it lies in `list_folder` (beside the list), else its file URL.
/// Lists of another extension are returned unchanged. Throws std::runtime_error on a list
/// it cannot parse.
std::string retarget_movie(const std::string& text, const std::string& extension,
                           const std::filesystem::path& from, const std::filesystem::path& to,
                           const std::filesystem::path& list_folder);

}  // namespace storyreel
