#include "demo/demo_plan.h"

#include <cstdio>
#include <stdexcept>

#include "demo/board_palette.h"
#include "demo/demo_random.h"

namespace storyreel::demo {

namespace {

/// Independent random streams per panel, so changing one aspect (say, the dialogue
/// lines) never reshuffles another (the holds).
enum RandomStream : std::uint64_t { kHoldStream = 1, kWordsStream = 2, kSketchStream = 3 };

constexpr const char* kDialogue[] = {
    "Did you hear that?",
    "We're not alone out here.",
    "Keep moving. Don't look back.",
    "It was right here a minute ago...",
    "Trust me.",
    "Wait - where's the map?",
    "That's not a bird.",
    "Run!",
    "I told you this would happen.",
    "Is anyone there?",
};

constexpr const char* kNotes[] = {
    "Slow push in",           "Hold for the laugh",     "Camera tilts up to the sky",
    "Match cut to next shot", "Whip pan left",          "Rack focus to background",
    "Sound: distant thunder", "Wide establishing shot",
};

template <std::size_t N>
std::string pick(DemoRandom& random, const char* const (&lines)[N]) {
    return lines[random.between(0, static_cast<int>(N) - 1)];
}

/// "sq010", "sh020", "p003": sequence and shot numbers go in tens, panels in ones.
std::string numbered_name(const char* prefix, int number, int digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%s%0*d", prefix, digits, number);
    return text;
}

}  // namespace

void validate_demo_options(const DemoOptions& options) {
    std::string problems;
    const auto require = [&](bool ok, const std::string& problem) {
        if (!ok) problems += "\n  - " + problem;
    };
    require(options.sequences >= 1 && options.sequences <= 99,
            "sequences must be in 1..99, got " + std::to_string(options.sequences));
    require(
        options.shots_per_sequence >= 1 && options.shots_per_sequence <= 99,
        "shots_per_sequence must be in 1..99, got " + std::to_string(options.shots_per_sequence));
    require(options.panels_per_shot >= 1 && options.panels_per_shot <= 999,
            "panels_per_shot must be in 1..999, got " + std::to_string(options.panels_per_shot));
    require(options.min_hold_frames >= 1 && options.min_hold_frames <= options.max_hold_frames,
            "holds need 1 <= min_hold_frames <= max_hold_frames, got " +
                std::to_string(options.min_hold_frames) + ".." +
                std::to_string(options.max_hold_frames));
    require(options.width >= 64 && options.height >= 64 && options.width <= 8192 &&
                options.height <= 8192 && options.width % 2 == 0 && options.height % 2 == 0,
            "resolution must be even and within 64..8192, got " + std::to_string(options.width) +
                "x" + std::to_string(options.height));
    require(options.audio_format == "wav" || options.audio_format == "flac",
            "audio_format must be \"wav\" or \"flac\", got \"" + options.audio_format + "\"");
    try {
        DemoFrameRate::parse(options.frame_rate);
    } catch (const std::invalid_argument& error) {
        require(false, error.what());
    }
    if (!problems.empty()) throw std::invalid_argument("invalid demo project options:" + problems);
}

DemoPlan plan_demo_project(const DemoOptions& options) {
    validate_demo_options(options);
    DemoPlan plan;
    plan.rate = DemoFrameRate::parse(options.frame_rate);
    long long next_frame = 0;
    for (int sequence = 1; sequence <= options.sequences; ++sequence) {
        for (int shot = 1; shot <= options.shots_per_sequence; ++shot) {
            for (int panel = 1; panel <= options.panels_per_shot; ++panel) {
                const int index = static_cast<int>(plan.panels.size());
                const auto item = static_cast<std::uint64_t>(index);
                PlannedPanel planned;
                DemoPanel& placement = planned.placement;
                placement.sequence = numbered_name("sq", sequence * 10, 3);
                placement.shot = numbered_name("sh", shot * 10, 3);
                placement.panel = numbered_name("p", panel, 3);
                planned.layout =
                    board_layout_for(index, options.varied_formats, options.width, options.height);
                placement.board_file = "boards/" + placement.sequence + "_" + placement.shot + "_" +
                                       placement.panel + board_extension(planned.layout.format);
                DemoRandom hold = DemoRandom::for_item(options.seed, item, kHoldStream);
                placement.start_frame = next_frame;
                placement.frames = hold.between(options.min_hold_frames, options.max_hold_frames);
                next_frame += placement.frames;
                placement.label_colour_hint = board_block_colour(index);

                DemoRandom words = DemoRandom::for_item(options.seed, item, kWordsStream);
                if (words.chance(0.4f)) planned.dialogue = pick(words, kDialogue);
                if (words.chance(0.3f)) planned.notes = pick(words, kNotes);

                planned.content.label =
                    placement.sequence + " " + placement.shot + " " + placement.panel;
                planned.content.caption = planned.dialogue;
                planned.content.block_colour = placement.label_colour_hint;
                planned.content.sketch_seed =
                    DemoRandom::for_item(options.seed, item, kSketchStream).next();
                plan.panels.push_back(std::move(planned));
            }
        }
    }
    plan.total_frames = next_frame;
    return plan;
}

}  // namespace storyreel::demo
