#include "pipeline/input_limits.h"

#include <yaml-cpp/yaml.h>

#include <cmath>

#include "pipeline/project.h"
#include "pipeline/yaml_fields.h"

namespace storyreel {

namespace {

constexpr const char* kRaiseHint =
    "raise it in the project's limits: block (configs/README.md, \"limits\")";

std::int64_t frames_in(double seconds, double fps) {
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(seconds * fps)));
}

std::string limit_text(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}

/// Counts nodes and scalar bytes of a YAML tree, aliases expanded, until a limit is hit.
class YamlWalk {
  public:
    explicit YamlWalk(const InputLimits& limits) : limits_(limits) {}

    /// False as soon as a limit is exceeded; which one is in `exceeded`.
    bool visit(const YAML::Node& node, int depth) {
        if (depth > limits_.max_nesting_depth) return stop("max_nesting_depth", node);
        if (++nodes_ > limits_.max_yaml_nodes) return stop("max_yaml_nodes", node);
        if (node.IsScalar()) {
            bytes_ += static_cast<std::int64_t>(node.Scalar().size());
            if (bytes_ > limits_.max_yaml_megabytes * 1024 * 1024)
                return stop("max_yaml_megabytes", node);
        } else if (node.IsSequence()) {
            for (const auto& item : node)
                if (!visit(item, depth + 1)) return false;
        } else if (node.IsMap()) {
            for (const auto& entry : node)
                if (!visit(entry.first, depth + 1) || !visit(entry.second, depth + 1)) return false;
        }
        return true;
    }

    std::string exceeded;
    YAML::Node where;

  private:
    bool stop(const char* limit, const YAML::Node& node) {
        exceeded = limit;
        where = node;
        return false;
    }

    const InputLimits& limits_;
    std::int64_t nodes_ = 0;
    std::int64_t bytes_ = 0;
};

}  // namespace

std::int64_t InputLimits::max_hold_frames(double fps) const {
    return frames_in(max_hold_seconds, fps);
}

std::int64_t InputLimits::max_cut_frames(double fps) const {
    return frames_in(max_cut_hours * 3600, fps);
}

void read_input_limits(const YAML::Node& block, const std::string& file, InputLimits& limits,
                       Diagnostics& diagnostics) {
    if (!block.IsDefined() || block.IsNull()) return;
    YamlFields fields(block, file, "limits", diagnostics);
    if (!fields.is_map()) return;
    fields.allow_only({"max_yaml_nodes", "max_yaml_megabytes", "max_nesting_depth", "max_panels",
                       "max_hold_seconds", "max_cut_hours", "max_board_side",
                       "max_board_megapixels"});
    // Each ceiling keeps the arithmetic that uses the limit inside 64 bits.
    if (auto value = fields.integer("max_yaml_nodes", 1, 1'000'000'000))
        limits.max_yaml_nodes = *value;
    if (auto value = fields.integer("max_yaml_megabytes", 1, 1'000'000))
        limits.max_yaml_megabytes = *value;
    if (auto value = fields.integer("max_nesting_depth", 2, 1000))
        limits.max_nesting_depth = static_cast<int>(*value);
    if (auto value = fields.integer("max_panels", 1, 100'000'000)) limits.max_panels = *value;
    if (auto value = fields.number("max_hold_seconds", 0.001, 1e7))
        limits.max_hold_seconds = *value;
    if (auto value = fields.number("max_cut_hours", 0.001, 1e5)) limits.max_cut_hours = *value;
    if (auto value = fields.integer("max_board_side", 1, 1'000'000)) limits.max_board_side = *value;
    if (auto value = fields.integer("max_board_megapixels", 1, 1'000'000))
        limits.max_board_megapixels = *value;
}

bool yaml_within_limits(const YAML::Node& root, const std::string& file, const InputLimits& limits,
                        Diagnostics& diagnostics) {
    YamlWalk walk(limits);
    if (walk.visit(root, 0)) return true;
    const std::string what =
        walk.exceeded == "max_nesting_depth"
            ? "nests deeper than " + std::to_string(limits.max_nesting_depth) + " levels"
        : walk.exceeded == "max_yaml_nodes"
            ? "has more than " + std::to_string(limits.max_yaml_nodes) +
                  " values once its aliases (*name) are expanded"
            : "has more than " + std::to_string(limits.max_yaml_megabytes) +
                  " MB of text once its aliases (*name) are expanded";
    diagnostics.add(location_of(walk.where, file), "document",
                    "the document " + what + " (limit " + walk.exceeded + ")",
                    "check for aliases repeating large parts; if the project really is this big, " +
                        std::string(kRaiseHint));
    return false;
}

std::optional<std::size_t> json_too_deep_at(const std::string& text, int max_depth) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;  // the escaped character cannot end the string
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::nullopt;
}

void check_project_limits(const Project& project, Diagnostics& diagnostics) {
    const InputLimits& limits = project.limits;
    const double fps = project.show.frame_rate.as_double();
    const std::int64_t max_hold = limits.max_hold_frames(fps);
    std::int64_t panels = 0;
    std::int64_t frames = 0;
    for (const auto& sequence : project.sequences)
        for (const auto& shot : sequence.shots)
            for (const auto& panel : shot.panels) {
                ++panels;
                if (panel.frames > max_hold)
                    diagnostics.add(
                        panel.where, "panel " + panel_path(sequence, shot, panel),
                        "hold of " + std::to_string(panel.frames) + " frames is longer than " +
                            limit_text(limits.max_hold_seconds) + " s (" +
                            std::to_string(max_hold) + " frames, limit max_hold_seconds)",
                        "shorten the hold; if it is meant, " + std::string(kRaiseHint));
                frames += std::min(panel.frames, max_hold);
            }
    const SourceLocation where{project.file.string(), 0, 0};
    if (panels > limits.max_panels)
        diagnostics.add(where, "project",
                        std::to_string(panels) + " panels, more than " +
                            std::to_string(limits.max_panels) + " (limit max_panels)",
                        "split the project, or " + std::string(kRaiseHint));
    if (frames > limits.max_cut_frames(fps))
        diagnostics.add(
            where, "project",
            "the cut is " + limit_text(std::round(frames / fps / 36.0) / 100.0) +
                " hours long, more than " + limit_text(limits.max_cut_hours) +
                " hours (limit max_cut_hours)",
            "check the holds; if the cut really is this long, " + std::string(kRaiseHint));
}

std::string board_size_problem(std::int64_t width, std::int64_t height, const InputLimits& limits) {
    if (width > limits.max_board_side || height > limits.max_board_side)
        return "board image is " + std::to_string(width) + "x" + std::to_string(height) +
               " pixels, more than " + std::to_string(limits.max_board_side) +
               " on a side (limit max_board_side; " + kRaiseHint + ")";
    if (width * height > limits.max_board_megapixels * 1'000'000)
        return "board image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
               std::to_string(width * height / 1'000'000) + " Mpixel, more than " +
               std::to_string(limits.max_board_megapixels) +
               " Mpixel (limit max_board_megapixels; " + kRaiseHint + ")";
    if (width <= 0 || height <= 0)
        return "board image has no pixels (" + std::to_string(width) + "x" +
               std::to_string(height) + ")";
    return {};
}

}  // namespace storyreel
