// shot_length: shots too short to read, holds too long without a camera move.
#include "checks/rules/rules.h"

namespace storyreel::checks {

namespace {

void check_shots(const CheckContext& context, const RuleSettings& settings,
                 std::vector<Finding>& findings) {
    const auto& slots = context.plan.slots;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (!slots[i].first_in_shot) continue;
        std::int64_t frames = 0;
        for (std::size_t j = i; j < slots.size() && slots[j].shot == slots[i].shot; ++j)
            frames += slots[j].frames();
        if (frames >= settings["min_shot_frames"]) continue;
        Finding finding = context.at_shot(slots[i], "shot_length", Severity::Warning);
        finding.measured = static_cast<double>(frames);
        finding.limit = settings["min_shot_frames"];
        finding.unit = "frames";
        finding.message = "the shot lasts " + std::to_string(frames) + " frames: too short to read";
        finding.hint = "lengthen it, or fold it into the shot next to it";
        findings.push_back(std::move(finding));
    }
    for (const auto& slot : slots) {
        const double seconds = context.seconds(slot.frames());
        if (seconds <= settings["max_hold_seconds"] || slot.panel->look.camera.moves()) continue;
        Finding finding = context.at_panel(slot, "shot_length", Severity::Warning);
        finding.measured = seconds;
        finding.limit = settings["max_hold_seconds"];
        finding.unit = "s";
        finding.message = "a still held " + format_number(seconds) + " s without a camera move";
        finding.hint = "add boards or a camera move, or ack it if the stillness is the point";
        findings.push_back(std::move(finding));
    }
}

}  // namespace

CheckRule shot_length_rule() {
    return {"shot_length",
            "shots shorter than 12 frames, holds longer than 8 s without a camera move",
            {{"min_shot_frames", 12.0, "frames"}, {"max_hold_seconds", 8.0, "s"}},
            check_shots};
}

}  // namespace storyreel::checks
