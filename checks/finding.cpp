#include "checks/finding.h"

#include "pipeline/json_number.h"

namespace storyreel::checks {

using nlohmann::json;

const char* severity_name(Severity severity) {
    switch (severity) {
        case Severity::Info:
            return "info";
        case Severity::Warning:
            return "warning";
        case Severity::Error:
            return "error";
    }
    return "?";
}

std::optional<Severity> parse_severity(const std::string& text) {
    if (text == "info") return Severity::Info;
    if (text == "warning") return Severity::Warning;
    if (text == "error") return Severity::Error;
    return std::nullopt;
}

std::string Finding::where() const {
    std::string text = sequence;
    if (!shot.empty()) text += "/" + shot;
    if (!panel.empty()) text += "/" + panel;
    return text;
}

std::size_t CheckReport::unacknowledged_at_least(Severity threshold) const {
    std::size_t count = 0;
    for (const auto& finding : findings)
        if (!finding.acknowledged && finding.severity >= threshold) ++count;
    return count;
}

std::string CheckReport::summary() const {
    std::size_t counts[3] = {0, 0, 0};
    std::size_t acknowledged = 0;
    for (const auto& finding : findings) {
        if (finding.acknowledged)
            ++acknowledged;
        else
            ++counts[static_cast<int>(finding.severity)];
    }
    auto plural = [](std::size_t n, const char* one, const char* many) {
        return std::to_string(n) + " " + (n == 1 ? one : many);
    };
    std::string text = plural(counts[2], "error", "errors") + ", " +
                       plural(counts[1], "warning", "warnings") + ", " + std::to_string(counts[0]) +
                       " info";
    if (acknowledged) text += " (" + std::to_string(acknowledged) + " acknowledged)";
    return text;
}

namespace {

json optional_number(const std::optional<double>& value) {
    return value ? json(*value) : json(nullptr);
}

std::optional<double> number_or_null(const json& value) {
    if (value.is_null()) return std::nullopt;
    return value.get<double>();
}

}  // namespace

json to_json(const Finding& finding) {
    return {{"rule", finding.rule},
            {"severity", severity_name(finding.severity)},
            {"sequence", finding.sequence},
            {"shot", finding.shot},
            {"panel", finding.panel},
            {"record_in", finding.record_in},
            {"cut_frame", finding.cut_frame},
            {"measured", optional_number(finding.measured)},
            {"limit", optional_number(finding.limit)},
            {"unit", finding.unit},
            {"message", finding.message},
            {"hint", finding.hint},
            {"acknowledged", finding.acknowledged},
            {"ack_reason", finding.ack_reason}};
}

json to_json(const SceneBreakdown& scene) {
    json flags = json::array();
    for (const auto& flag : scene.flags)
        flags.push_back({{"flag", flag.flag}, {"panel", flag.panel}, {"words", flag.words}});
    return {{"sequence", scene.sequence},
            {"scene_number", scene.scene_number},
            {"heading", scene.heading},
            {"int_ext", scene.int_ext},
            {"location", scene.location},
            {"time_of_day", scene.time_of_day},
            {"characters", scene.characters},
            {"flags", flags},
            {"boards", scene.boards},
            {"shots", scene.shots},
            {"camera_moves", scene.camera_moves},
            {"transitions", scene.transitions},
            {"frames", scene.frames},
            {"seconds", scene.seconds},
            {"average_shot_seconds", optional_number(scene.average_shot_seconds)},
            {"script_eighths", scene.script_eighths ? json(*scene.script_eighths) : json(nullptr)},
            {"record_in", scene.record_in}};
}

json to_json(const CheckReport& report) {
    json findings = json::array(), breakdown = json::array();
    for (const auto& finding : report.findings) findings.push_back(to_json(finding));
    for (const auto& scene : report.breakdown) breakdown.push_back(to_json(scene));
    return {
        {"format_version", kChecksFormatVersion}, {"findings", findings}, {"breakdown", breakdown}};
}

/// The ranges whole numbers read back from a checks report may take (counts fit an int).
constexpr std::int64_t kMaxCount = std::numeric_limits<int>::max();
constexpr std::int64_t kMaxWholeNumber = std::numeric_limits<std::int64_t>::max();

CheckReport check_report_from_json(const json& document) {
    if (json_integer_or(document, "format_version", -1, 0, 1000) != kChecksFormatVersion)
        throw std::runtime_error("unsupported checks format_version " +
                                 document.at("format_version").dump());
    CheckReport report;
    for (const auto& item : document.at("findings")) {
        Finding finding;
        finding.rule = item.at("rule").get<std::string>();
        auto severity = parse_severity(item.at("severity").get<std::string>());
        if (!severity) throw std::runtime_error("unknown severity " + item.at("severity").dump());
        finding.severity = *severity;
        finding.sequence = item.at("sequence").get<std::string>();
        finding.shot = item.at("shot").get<std::string>();
        finding.panel = item.at("panel").get<std::string>();
        finding.record_in = item.at("record_in").get<std::string>();
        finding.cut_frame = json_integer_or(item, "cut_frame", -1, -1, kMaxWholeNumber);
        finding.measured = number_or_null(item.at("measured"));
        finding.limit = number_or_null(item.at("limit"));
        finding.unit = item.value("unit", std::string());
        finding.message = item.at("message").get<std::string>();
        finding.hint = item.at("hint").get<std::string>();
        finding.acknowledged = item.value("acknowledged", false);
        finding.ack_reason = item.value("ack_reason", std::string());
        report.findings.push_back(std::move(finding));
    }
    for (const auto& item : document.at("breakdown")) {
        SceneBreakdown scene;
        scene.sequence = item.at("sequence").get<std::string>();
        scene.scene_number = static_cast<int>(json_integer_at(item, "scene_number", 0, kMaxCount));
        scene.heading = item.at("heading").get<std::string>();
        scene.int_ext = item.at("int_ext").get<std::string>();
        scene.location = item.at("location").get<std::string>();
        scene.time_of_day = item.at("time_of_day").get<std::string>();
        scene.characters = item.at("characters").get<std::vector<std::string>>();
        for (const auto& flag : item.at("flags"))
            scene.flags.push_back({flag.at("flag").get<std::string>(),
                                   flag.at("panel").get<std::string>(),
                                   flag.at("words").get<std::vector<std::string>>()});
        scene.boards = static_cast<int>(json_integer_at(item, "boards", 0, kMaxCount));
        scene.shots = static_cast<int>(json_integer_at(item, "shots", 0, kMaxCount));
        scene.camera_moves = static_cast<int>(json_integer_at(item, "camera_moves", 0, kMaxCount));
        scene.transitions = static_cast<int>(json_integer_at(item, "transitions", 0, kMaxCount));
        scene.frames = json_integer_at(item, "frames", 0, kMaxWholeNumber);
        scene.seconds = item.at("seconds").get<double>();
        scene.average_shot_seconds = number_or_null(item.at("average_shot_seconds"));
        if (!item.at("script_eighths").is_null())
            scene.script_eighths =
                static_cast<int>(json_integer_at(item, "script_eighths", 0, kMaxCount));
        scene.record_in = item.at("record_in").get<std::string>();
        report.breakdown.push_back(std::move(scene));
    }
    return report;
}

}  // namespace storyreel::checks
