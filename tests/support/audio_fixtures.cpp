#include "tests/support/audio_fixtures.h"

#include <cmath>
#include <fstream>
#include <iterator>
#include <numbers>
#include <stdexcept>

#include "demo/audio_file_writer.h"
#include "tests/support/cli_runner.h"

namespace storyreel::testing {

namespace fs = std::filesystem;

void write_wav(const fs::path& file, const std::vector<float>& interleaved, int channels,
               int rate) {
    auto writer = demo::open_wav_writer(file, rate, channels);
    std::vector<std::int16_t> pcm(interleaved.size());
    for (std::size_t i = 0; i < interleaved.size(); ++i)
        pcm[i] =
            static_cast<std::int16_t>(std::lround(std::clamp(interleaved[i], -1.f, 1.f) * 32767.f));
    writer->write(pcm);
    writer->finish();
}

std::vector<float> tone_bursts(std::int64_t samples, const std::vector<std::int64_t>& onsets,
                               double burst_seconds, float amplitude) {
    std::vector<float> signal(static_cast<std::size_t>(samples));
    std::uint32_t noise = 12345;
    for (auto& value : signal) {
        noise = noise * 1664525u + 1013904223u;
        value = 0.0001f * (static_cast<float>(noise >> 8) / 8388608.f - 1.f);
    }
    const auto length = static_cast<std::int64_t>(burst_seconds * 48000);
    for (std::int64_t onset : onsets)
        for (std::int64_t i = 0; i < length && onset + i < samples; ++i)
            signal[static_cast<std::size_t>(onset + i)] =
                amplitude *
                static_cast<float>(std::sin(2 * std::numbers::pi * 1000.0 * i / 48000.0));
    return signal;
}

std::vector<float> sine(std::int64_t samples, double frequency, float amplitude, int rate) {
    std::vector<float> signal(static_cast<std::size_t>(samples));
    for (std::int64_t i = 0; i < samples; ++i)
        signal[static_cast<std::size_t>(i)] =
            amplitude * static_cast<float>(std::sin(2 * std::numbers::pi * frequency * i / rate));
    return signal;
}

namespace {

void put_le32(std::string& bytes, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

}  // namespace

void add_wav_cues(const fs::path& file, const std::vector<CuePoint>& cues) {
    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::string cue = "cue ";
    put_le32(cue, static_cast<std::uint32_t>(4 + 24 * cues.size()));
    put_le32(cue, static_cast<std::uint32_t>(cues.size()));
    for (std::size_t i = 0; i < cues.size(); ++i) {
        put_le32(cue, static_cast<std::uint32_t>(i + 1));  // id
        put_le32(cue, cues[i].sample);                     // position
        cue += "data";
        put_le32(cue, 0);  // chunk start
        put_le32(cue, 0);  // block start
        put_le32(cue, cues[i].sample);
    }
    std::string adtl = "adtl";
    for (std::size_t i = 0; i < cues.size(); ++i) {
        std::string text = cues[i].label;
        text.push_back('\0');
        adtl += "labl";
        put_le32(adtl, static_cast<std::uint32_t>(4 + text.size()));
        put_le32(adtl, static_cast<std::uint32_t>(i + 1));
        adtl += text;
        if (text.size() % 2) adtl.push_back('\0');
    }
    std::string list = "LIST";
    put_le32(list, static_cast<std::uint32_t>(adtl.size()));
    list += adtl;
    bytes += cue + list;
    std::string size;
    put_le32(size, static_cast<std::uint32_t>(bytes.size() - 8));
    bytes.replace(4, 4, size);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

demo::DemoProject small_project(const fs::path& dir, int shots, int panels,
                                const std::string& frame_rate, int min_hold, int max_hold) {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = shots;
    options.panels_per_shot = panels;
    options.width = 64;
    options.height = 64;
    options.frame_rate = frame_rate;
    options.varied_formats = false;
    options.with_audio = false;
    options.min_hold_frames = min_hold;
    options.max_hold_frames = max_hold;
    return demo::write_demo_project(dir, options);
}

void click_on_each_panel(const fs::path& project_file, const std::vector<std::int64_t>& holds) {
    std::vector<float> click(480, 0.f);
    for (int i = 0; i < 48; ++i) click[i] = 0.8f;
    write_wav(project_file.parent_path() / "click.wav", click, 1);
    edit_project(project_file, [&](YAML::Node& root) {
        root.remove("audio");
        auto panels = panels_of(first_sequence(root));
        for (std::size_t i = 0; i < panels.size() && i < holds.size(); ++i) {
            panels[i]["frames"] = holds[i];
            YAML::Node clip;
            clip["file"] = "click.wav";
            panels[i]["audio"].push_back(clip);
        }
    });
}

void edit_project(const fs::path& project_file, const std::function<void(YAML::Node&)>& edit) {
    YAML::Node root = YAML::LoadFile(project_file.string());
    edit(root);
    YAML::Emitter out;
    out << root;
    std::ofstream file(project_file, std::ios::trunc);
    file << out.c_str() << "\n";
    if (!file) throw std::runtime_error("cannot write " + project_file.string());
}

YAML::Node first_sequence(YAML::Node& root) { return root["sequences"][0]; }

std::vector<YAML::Node> panels_of(YAML::Node sequence) {
    std::vector<YAML::Node> panels;
    for (auto shot : sequence["shots"])
        for (auto panel : shot["panels"]) panels.push_back(panel);
    return panels;
}

fs::path write_fast_pipeline(const fs::path& dir, const std::string& extra_stages) {
    const fs::path file = dir / "fast.yaml";
    std::ofstream out(file, std::ios::trunc);
    out << "pipeline: 1\nname: audio-test\nsettings: {frames_in_flight: 2}\nstages:\n"
           "  - {name: ingest, type: ingest}\n"
           "  - {name: conform, type: conform, needs: [ingest]}\n"
           "  - {name: audio, type: audio}\n"
           "  - {name: prores, type: encode, needs: [conform, audio], params: {codec: prores, "
           "profile: proxy}}\n"
        << extra_stages;
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

std::string ffmpeg_ebur128_summary(const std::filesystem::path& file) {
    return run_program({"ffmpeg", "-hide_banner", "-nostats", "-i", file.string(), "-vn", "-af",
                        "ebur128=peak=true", "-f", "null", "-"})
        .err;
}

std::filesystem::path use_temp_track(const std::filesystem::path& project_file,
                                     const std::vector<float>& mono) {
    std::vector<float> both;
    for (float value : mono) both.insert(both.end(), {value, value});
    const auto wav = project_file.parent_path() / "temp.wav";
    write_wav(wav, both, 2);
    edit_project(project_file, [](YAML::Node& root) {
        root.remove("audio");
        YAML::Node track;
        track["file"] = "temp.wav";
        first_sequence(root)["audio"].push_back(track);
    });
    return wav;
}

}  // namespace storyreel::testing
