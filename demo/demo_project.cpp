#include "demo/demo_project.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "demo/audio_file_writer.h"
#include "demo/demo_plan.h"
#include "demo/tone_track.h"

namespace storyreel::demo {

namespace fs = std::filesystem;

namespace {

constexpr int kTempTrackChannels = 2;
/// Sample frames rendered per block (0.1 s): the whole track is never held in memory.
constexpr std::size_t kAudioBlockFrames = 4800;

void create_output_directory(const fs::path& dir) {
    std::error_code error;
    fs::create_directories(dir, error);
    if (error)
        throw std::runtime_error("creating demo directory " + dir.string() + ": " +
                                 error.message());
}

ToneTrackDesign temp_track_design(const DemoPlan& plan, unsigned seed) {
    ToneTrackDesign design;
    design.channels = kTempTrackChannels;
    design.sample_rate = kDemoSampleRate;
    design.total_samples = plan.rate.sample_at_frame(plan.total_frames);
    design.noise_seed = seed;
    for (std::size_t i = 0; i < plan.panels.size(); ++i)
        design.bursts.push_back({plan.rate.sample_at_frame(plan.panels[i].placement.start_frame),
                                 tone_burst_frequency(static_cast<int>(i))});
    return design;
}

void write_temp_track(const fs::path& file, const std::string& format, ToneTrackDesign design) {
    auto writer = format == "flac" ? open_flac_writer(file, design.sample_rate, design.channels)
                                   : open_wav_writer(file, design.sample_rate, design.channels);
    ToneTrackRenderer renderer(std::move(design));
    std::vector<std::int16_t> block(kAudioBlockFrames * kTempTrackChannels);
    while (renderer.remaining() > 0) {
        const std::int64_t frames = renderer.render(block);
        writer->write(std::span<const std::int16_t>(
            block.data(), static_cast<std::size_t>(frames) * kTempTrackChannels));
    }
    writer->finish();
}

void write_text_file(const fs::path& file, const std::string& text) {
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << text;
    stream.close();
    if (!stream) throw std::runtime_error("writing " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

DemoProject write_demo_project(const fs::path& dir, const DemoOptions& options) {
    const DemoPlan plan = plan_demo_project(options);
    const fs::path root = fs::absolute(dir).lexically_normal();
    create_output_directory(root / "boards");

    DemoProject project;
    project.project_file = root / "project.yaml";
    project.total_frames = plan.total_frames;
    for (const PlannedPanel& planned : plan.panels) {
        write_board_file(root / planned.placement.board_file, planned.content, planned.layout);
        project.panels.push_back(planned.placement);
    }

    if (options.with_audio) {
        create_output_directory(root / "audio");
        project.audio_file = "audio/temp." + options.audio_format;
        write_temp_track(root / project.audio_file, options.audio_format,
                         temp_track_design(plan, options.seed));
        project.tone_hz_first = tone_burst_frequency(0);
    }

    // Written last: a project.yaml only exists once everything it names does.
    write_text_file(project.project_file, demo_project_yaml(options, plan, project.audio_file));
    return project;
}

}  // namespace storyreel::demo
