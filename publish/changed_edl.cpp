#include "publish/changed_edl.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "publish/changes.h"
#include "publish/publish_error.h"
#include "publish/pull.h"

namespace storyreel::publish {

using nlohmann::json;

namespace {

const json& movie_of(const json& manifest, const std::string& stage) {
    for (const auto& output : manifest.at("outputs"))
        if (output_kind(output) == "movie" && (stage.empty() || output.value("stage", "") == stage)) return output;
    throw PublishError("version " + std::to_string(manifest.value("version", 0)) + " of " +
                       manifest.value("sequence", "") + " has no movie" +
                       (stage.empty() ? "" : " from stage '" + stage + "'"));
}

/// CMX3600 reel: at most 8 characters, no spaces.
std::string edl_reel(std::string reel) {
    if (reel.empty()) reel = "AX";
    for (char& c : reel)
        if (c == ' ') c = '_';
    return reel.substr(0, 8);
}

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

std::string changed_events_edl(const json& manifest, const json& changes, const std::string& stage) {
    const json& movie = movie_of(manifest, stage);
    const std::string reel = edl_reel(movie.value("reel", manifest.value("sequence", "")));
    const bool with_audio = movie.value("audio_codec", "none") != "none";
    // Panel name -> what changed; ordered by position in the new version.
    std::map<std::string, std::vector<std::string>> why;
    for (const auto& kind : panel_change_kinds())
        for (const auto& entry : changes.at("panels").at(kind)) why[entry.at("panel")].push_back(kind);
    const std::string start = manifest.at("start_timecode");
    std::string text = "TITLE: " + manifest.value("sequence", "") + " v" +
                       std::to_string(manifest.value("version", 0)) + " CHANGED EVENTS\n";
    text += std::string("FCM: ") + (start.find(';') != std::string::npos ? "DROP FRAME" : "NON-DROP FRAME") + "\n";
    int event = 0;
    for (const auto& panel : manifest.at("panels")) {
        auto found = why.find(panel.at("panel"));
        if (found == why.end()) continue;
        const std::string in = panel.at("record_in"), out = panel.at("record_out");
        char line[128];
        std::snprintf(line, sizeof line, "\n%03d  %-8s %-5s %-4s %3s %s %s %s %s\n", ++event % 1000,
                      reel.c_str(), with_audio ? "AA/V" : "V", "C", "", in.c_str(), out.c_str(), in.c_str(),
                      out.c_str());
        text += line;
        text += "* FROM CLIP NAME: " + movie.at("file").get<std::string>() + "\n";
        std::string reasons;
        for (const auto& kind : found->second) reasons += (reasons.empty() ? "" : ", ") + upper(kind);
        text += "* COMMENT: " + panel.at("panel").get<std::string>() + " " + reasons + "\n";
    }
    return text;
}

}  // namespace storyreel::publish
