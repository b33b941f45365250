#pragma once
// `storyreel cuts`: what is published, per show and sequence: versions, dates, durations,
// and what changed in each.

#include <filesystem>
#include <string>

namespace storyreel::publish {

/// The listing as text; throws PublishError when ROOT holds no published sequence (of the
/// show / sequence asked for).
std::string list_published(const std::filesystem::path& root, const std::string& show,
                           const std::string& sequence);

}  // namespace storyreel::publish
