#include "tests/support/dialogue_testset.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numbers>
#include <stdexcept>

#include "media/audio_decoder.h"

namespace storyreel::testing {

namespace fs = std::filesystem;

namespace {

constexpr int kRate = 48000;
constexpr float kSoundLevel = 0.02f;  ///< about -34 dBFS: where a line's truth starts

std::vector<std::string> split_at_pauses(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (true) {
        const std::size_t dots = text.find("...", at);
        parts.push_back(text.substr(at, dots == std::string::npos ? std::string::npos : dots - at));
        if (dots == std::string::npos) break;
        at = dots + 3;
    }
    return parts;
}

/// Trims leading and trailing near-silence, so the generator knows where sound is.
std::vector<float> trimmed(const std::vector<float>& speech) {
    std::size_t first = 0, last = speech.size();
    while (first < last && std::abs(speech[first]) < kSoundLevel) ++first;
    while (last > first && std::abs(speech[last - 1]) < kSoundLevel) --last;
    return {speech.begin() + static_cast<std::ptrdiff_t>(first),
            speech.begin() + static_cast<std::ptrdiff_t>(last)};
}

/// A slow chord of soft sines: something tonal and steady under the dialogue.
void add_music(std::vector<float>& track, double speech_rms, double below_db) {
    const double rms = speech_rms * std::pow(10.0, below_db / 20.0);
    const double amplitude = rms * std::sqrt(2.0 / 3.0);  // three sines of equal level
    const double notes[] = {220.0, 277.18, 329.63};
    for (std::size_t i = 0; i < track.size(); ++i) {
        const double t = static_cast<double>(i) / kRate;
        double value = 0;
        for (double note : notes) value += std::sin(2 * std::numbers::pi * note * t);
        track[i] += static_cast<float>(amplitude * value * (0.85 + 0.15 * std::sin(t)));
    }
}

/// A door slam: a loud noise burst with a fast decay, 0.25 s.
void add_slam(std::vector<float>& track, std::size_t at, std::uint32_t& noise) {
    for (std::size_t i = 0; i < kRate / 4 && at + i < track.size(); ++i) {
        noise = noise * 1664525u + 1013904223u;
        const float white = static_cast<float>(noise >> 8) / 8388608.f - 1.f;
        track[at + i] += 0.8f * white * static_cast<float>(std::exp(-20.0 * i / kRate));
    }
}

}  // namespace

std::vector<float> speak(const std::string& text, const std::string& voice, int words_per_minute,
                         const fs::path& scratch) {
    const std::string name =
        "spoken" + std::to_string(std::hash<std::string>{}(
                       voice + "|" + std::to_string(words_per_minute) + "|" + text));
    const fs::path file = scratch / (name + ".wav");
    const fs::path text_file = scratch / (name + ".txt");
    {
        FILE* out = std::fopen(text_file.c_str(), "w");
        if (!out) throw std::runtime_error("cannot write " + text_file.string());
        std::fputs(text.c_str(), out);
        std::fclose(out);
    }
    const std::string command = "espeak-ng -v '" + voice + "' -s " +
                                std::to_string(words_per_minute) + " -w '" + file.string() +
                                "' -f '" + text_file.string() + "'";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("espeak-ng failed: " + command);
    std::vector<float> mono;
    decode_audio_file(file, [&](const float* stereo, int frames) {
        for (int i = 0; i < frames; ++i) mono.push_back(0.5f * (stereo[2 * i] + stereo[2 * i + 1]));
    });
    return mono;
}

std::vector<std::string> accuracy_voices() {
    return {"en-us", "en-gb-x-rp+f3", "en-gb-scotland+m3"};
}

std::vector<ScriptLine> accuracy_script(int per_voice) {
    const std::vector<std::string> text = {
        "Where are you going at this hour?",
        "To the lighthouse, before the storm comes in.",
        "Nobody goes there... not since the fire.",
        "No.",
        "Then take the lantern, and the rope from the shed.",
        "Marisol will be waiting at the gate.",
        "Wait!",
        "I heard something on the stairs.",
        "It is only the wind against the shutters.",
        "You said that last winter... and look what happened.",
        "Yes.",
        "Keep your voice down, they can hear us.",
        "Who can hear us?",
        "The keepers of the old harbour.",
        "Zorblax told me they were gone for good.",
        "Zorblax tells a lot of stories.",
        "Run!",
        "The bridge is out, we have to swim across.",
        "I cannot swim in this weather... not with the current.",
        "Hold on to my arm and do not let go.",
        "Now.",
        "We made it to the other side.",
        "Look at the light, somebody is up there.",
        "Kestrava, is that you?",
        "Come up quickly, the stairs are failing.",
        "How long have you been hiding here?",
        "Three days... maybe four.",
        "Why did you not send word to the village?",
        "Because the village sent me here.",
        "Then we leave together, tonight.",
        "Bring the map and the brass compass.",
        "Go.",
        "The tide is turning, we are out of time.",
        "Tell them the light is burning again.",
    };
    const auto voices = accuracy_voices();
    const int rates[] = {140, 190};
    std::vector<ScriptLine> lines;
    std::vector<int> kept(voices.size(), 0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::size_t voice = i % voices.size();
        if (per_voice > 0 && kept[voice] >= per_voice) continue;
        ++kept[voice];
        lines.push_back({text[i], voices[voice], rates[(i / voices.size()) % 2]});
    }
    return lines;
}

std::vector<float> make_dialogue_track(DialogueTrackPlan& plan, const fs::path& scratch) {
    std::vector<float> track(static_cast<std::size_t>(plan.lead_seconds * kRate), 0.f);
    std::uint32_t random = plan.seed;
    double energy = 0;
    std::size_t speech_samples = 0;
    std::vector<std::size_t> slams;
    for (std::size_t k = 0; k < plan.lines.size(); ++k) {
        ScriptLine& line = plan.lines[k];
        if (!line.recorded) continue;
        const std::size_t start = track.size();
        const auto parts = split_at_pauses(line.text);
        for (std::size_t p = 0; p < parts.size(); ++p) {
            if (p > 0)
                track.resize(track.size() + static_cast<std::size_t>(plan.pause_seconds * kRate),
                             0.f);
            const auto said = trimmed(speak(parts[p], line.voice, line.words_per_minute, scratch));
            for (float value : said) energy += double(value) * value;
            speech_samples += said.size();
            track.insert(track.end(), said.begin(), said.end());
        }
        line.start_seconds = static_cast<double>(start) / kRate;
        line.end_seconds = static_cast<double>(track.size()) / kRate;
        random = random * 1664525u + 1013904223u;
        const double jitter = (static_cast<double>(random >> 8) / 16777216.0 - 0.5) * 0.6;
        const auto gap = static_cast<std::size_t>((plan.gap_seconds + jitter) * kRate);
        if (plan.transients && k % 5 == 4) slams.push_back(track.size() + gap / 3);
        track.resize(track.size() + gap, 0.f);
    }
    track.resize(track.size() + kRate, 0.f);
    if (plan.music_db < 0 && speech_samples > 0)
        add_music(track, std::sqrt(energy / static_cast<double>(speech_samples)), plan.music_db);
    std::uint32_t noise = plan.seed;
    for (std::size_t at : slams) add_slam(track, at, noise);
    return track;
}

}  // namespace storyreel::testing
