#pragma once
// The names ASC MHL v2.0 fixes: folder, chain file, namespaces, generation file names.

#include <string>

namespace storyreel::publish {

inline constexpr const char* kMhlFolder = "ascmhl";
inline constexpr const char* kMhlChainFile = "ascmhl_chain.xml";
inline constexpr const char* kMhlNamespace = "urn:ASC:MHL:v2.0";
inline constexpr const char* kMhlDirectoryNamespace = "urn:ASC:MHL:DIRECTORY:v2.0";
/// strftime format of the UTC time in a generation file's name ("2026-12-07_021503Z").
inline constexpr const char* kMhlFileTimeUtc = "%Y-%m-%d_%H%M%SZ";
/// What a history never lists: the reference tool's defaults plus storyreel's pull state.
inline constexpr const char* kMhlIgnorePatterns[] = {
    ".DS_Store", "ascmhl", "ascmhl/", ".storyreel-pull.json", ".storyreel-pull.lock"};

/// "0003_<folder>_<time>.mhl".
std::string generation_file_name(int number, const std::string& folder_name,
                                 const std::string& utc_time);

/// The sequence number of a generation file name ("0003_..._....mhl" -> 3), 0 when the
/// name is not one.
int generation_number_of(const std::string& file_name);

}  // namespace storyreel::publish
