#include "publish/listing.h"

#include <cstdio>
#include <sstream>

#include "pipeline/json_number.h"
#include "pipeline/timecode.h"
#include "publish/publish_error.h"
#include "publish/sequence_folder.h"

namespace storyreel::publish {

namespace {

/// "00:00:13:06 (318 frames)" from a manifest.
std::string duration_of(const nlohmann::json& manifest) {
    const long long frames =
        json_integer_or(manifest, "frame_count", 0, 0, std::numeric_limits<std::int64_t>::max());
    const auto rate = FrameRate::parse(manifest.at("show").value("frame_rate_rational", "24/1"));
    const std::string duration =
        rate ? Timecode(frames, *rate, false).to_string() : std::string("?");
    return duration + " (" + std::to_string(frames) + " frames)";
}

void list_sequence(std::ostringstream& out, const SequenceFolder& folder) {
    const auto versions = folder.versions();
    const auto latest = folder.linked_latest();
    out << folder.show() << "/" << folder.sequence() << "  "
        << (versions.empty() ? "no version yet"
                             : "latest v" + std::to_string(latest.value_or(versions.back())) +
                                   ", " + std::to_string(versions.size()) + " version(s)")
        << "\n";
    for (int version : versions) {
        nlohmann::json manifest;
        try {
            manifest = folder.manifest(version);
        } catch (const PublishError& error) {
            out << "  " << SequenceFolder::version_name(version) << "  unreadable: " << error.what()
                << "\n";
            continue;
        }
        try {
            char line[160];
            std::snprintf(line, sizeof line, "  %-5s %s  %-28s  ",
                          SequenceFolder::version_name(version).c_str(),
                          manifest.value("created", "?").c_str(), duration_of(manifest).c_str());
            out << line << (latest == version ? "* " : "  ")
                << manifest.value("changes", nlohmann::json::object()).value("summary", "") << "\n";
        } catch (const nlohmann::json::exception& error) {
            out << "  " << SequenceFolder::version_name(version) << "  unreadable: "
                << unexpected_json_content(folder.version_path(version) / "manifest.json", error)
                       .what()
                << "\n";
        }
    }
}

}  // namespace

std::string list_published(const std::filesystem::path& root, const std::string& show,
                           const std::string& sequence) {
    const auto folders = find_sequences(root, show, sequence);
    if (folders.empty())
        throw PublishError(root.string() + ": nothing published" +
                           (show.empty() && sequence.empty()
                                ? ""
                                : " for " + (show.empty() ? std::string("*") : show) + "/" +
                                      (sequence.empty() ? "*" : sequence)) +
                           " (publish with `storyreel build ... --publish " + root.string() + "`)");
    std::ostringstream out;
    for (const auto& folder : folders) list_sequence(out, folder);
    return out.str();
}

}  // namespace storyreel::publish
