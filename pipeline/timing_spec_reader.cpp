#include "pipeline/timing_spec_reader.h"

#include "pipeline/yaml_fields.h"

namespace storyreel {

namespace fs = std::filesystem;

const char* timing_mode_name(TimingMode mode) {
    switch (mode) {
        case TimingMode::Explicit:
            return "explicit";
        case TimingMode::Fit:
            return "fit";
        case TimingMode::Markers:
            return "markers";
        case TimingMode::Dialogue:
            return "dialogue";
        case TimingMode::Words:
            return "words";
    }
    return "explicit";
}

const char* line_status_name(LineStatus status) {
    switch (status) {
        case LineStatus::Aligned:
            return "aligned";
        case LineStatus::Approximate:
            return "approximate";
        case LineStatus::NotFound:
            return "not found";
    }
    return "not found";
}

namespace {

/// The longest a timing track, window or silence may be: ten hours (no overflow when
/// turned into samples or frames; real tracks are minutes long).
constexpr double kLongestTrackSeconds = 36'000;
/// The largest frame count a timing limit may name (the project's max_hold_seconds still
/// bounds the holds the timing gives).
constexpr long long kLargestFrameCount = 1'000'000'000;

std::optional<TimingMode> parse_mode(const std::string& text) {
    for (TimingMode mode : {TimingMode::Explicit, TimingMode::Fit, TimingMode::Markers,
                            TimingMode::Dialogue, TimingMode::Words})
        if (text == timing_mode_name(mode)) return mode;
    return std::nullopt;
}

fs::path existing_file(YamlFields& fields, const char* key, const fs::path& project_dir,
                       const char* what) {
    auto text = fields.string(key);
    if (!text) return {};
    fs::path path = *text;
    if (path.is_relative()) path = project_dir / path;
    path = path.lexically_normal();
    std::error_code error;
    if (!fs::is_regular_file(path, error))
        fields.problem(key, std::string(what) + " not found: " + path.string(),
                       "fix the path (relative to the project file) or add the file");
    return path;
}

void read_range(YamlFields& fields, SequenceTiming& timing) {
    if (!fields.has("range")) return;
    const YAML::Node range = fields.node("range");
    if (range.IsSequence() && range.size() == 2) {
        timing.range_start = scalar_number(range[0], 0, kLongestTrackSeconds);
        timing.range_end = scalar_number(range[1], 0, kLongestTrackSeconds);
        if (timing.range_start && timing.range_end && *timing.range_end > *timing.range_start)
            return;
    }
    timing.range_start.reset();
    timing.range_end.reset();
    fields.problem("range", "expected [from, to] in seconds of the track, 0 <= from < to",
                   "for example range: [2.5, 61.0]");
}

void read_speech(YamlFields& timing_fields, SpeechDetectionSettings& speech) {
    if (!timing_fields.has("detect")) return;
    YamlFields fields(timing_fields.node("detect"), timing_fields.file(),
                      timing_fields.subject() + " timing.detect", timing_fields.diagnostics());
    if (!fields.is_map()) return;
    fields.allow_only({"threshold_db", "hysteresis_db", "min_silence", "min_speech", "window"});
    auto positive = [&](const char* key, double& target) {
        if (auto value = fields.number(key, -kLongestTrackSeconds, kLongestTrackSeconds)) {
            if (*value <= 0)
                fields.problem(key, "must be more than 0 seconds");
            else
                target = *value;
        }
    };
    if (auto value = fields.number("threshold_db", -200, 200)) {
        if (*value >= 0)
            fields.problem("threshold_db", "must be below 0 dBFS", "for example -40");
        else
            speech.threshold_db = *value;
    }
    if (auto value = fields.number("hysteresis_db", -200, 200)) {
        if (*value < 0)
            fields.problem("hysteresis_db", "must be 0 or more");
        else
            speech.hysteresis_db = *value;
    }
    positive("min_silence", speech.min_silence_seconds);
    positive("min_speech", speech.min_speech_seconds);
    positive("window", speech.window_seconds);
}

void read_hold_limits(YamlFields& fields, SequenceTiming& timing) {
    if (auto value = fields.integer("min_frames", -kLargestFrameCount, kLargestFrameCount)) {
        if (*value < 1)
            fields.problem("min_frames", "must be at least 1");
        else
            timing.min_frames = *value;
    }
    if (auto value = fields.integer("max_frames", -kLargestFrameCount, kLargestFrameCount)) {
        if (*value < timing.min_frames)
            fields.problem("max_frames", "must be at least min_frames (" +
                                             std::to_string(timing.min_frames) + ")");
        else
            timing.max_frames = *value;
    }
}

/// The keys only words mode reads: model, language, pre_roll, min_confidence, word_labels.
void read_words(YamlFields& fields, TimingMode mode, const fs::path& project_dir,
                WordsTimingSettings& words) {
    bool any = false;
    for (const char* key : {"model", "language", "pre_roll", "min_confidence", "word_labels"}) {
        if (!fields.has(key)) continue;
        any = true;
        if (mode != TimingMode::Words)
            fields.problem(key, "only used in words mode", "set mode: words or remove it");
    }
    if (!any || mode != TimingMode::Words) return;
    if (auto text = fields.string("model")) {
        fs::path path = *text;
        if (path.is_relative()) path = project_dir / path;
        std::error_code error;
        if (!fs::is_directory(path, error))
            fields.problem("model", "speech model folder not found: " + path.string(),
                           "name a PocketSphinx model folder (acoustic model folder + .dict), or "
                           "remove model: to use Debian's pocketsphinx-en-us");
        words.model = path.lexically_normal();
    }
    if (auto text = fields.string("language")) {
        if (text->empty())
            fields.problem("language", "must not be empty", "for example en-us");
        else
            words.language = *text;
    }
    if (auto value = fields.integer("pre_roll", 0, 10'000)) words.pre_roll_frames = *value;
    if (auto value = fields.number("min_confidence", 0, 1)) words.min_confidence = *value;
    if (auto value = fields.boolean("word_labels")) words.word_labels = *value;
}

}  // namespace

SequenceTiming read_sequence_timing(const YAML::Node& node, const std::string& file,
                                    const std::string& subject, const fs::path& project_dir,
                                    Diagnostics& diagnostics) {
    SequenceTiming timing;
    if (!node.IsDefined() || node.IsNull()) return timing;
    YamlFields fields(node, file, subject + " timing", diagnostics);
    timing.where = fields.where();
    if (!fields.is_map()) return timing;
    fields.allow_only({"mode", "track", "range", "markers", "min_frames", "max_frames", "detect",
                       "model", "language", "pre_roll", "min_confidence", "word_labels"});
    if (auto text = fields.string("mode", true)) {
        if (auto mode = parse_mode(*text))
            timing.mode = *mode;
        else
            fields.problem("mode", "unknown timing mode '" + *text + "'",
                           "use explicit, fit, markers, dialogue or words");
    }
    if (fields.has("track"))
        timing.track = existing_file(fields, "track", project_dir, "timing track");
    read_range(fields, timing);
    if (fields.has("markers"))
        timing.markers = existing_file(fields, "markers", project_dir, "marker file");
    if (timing.mode == TimingMode::Markers && !fields.has("markers"))
        fields.problem("markers", "markers mode needs a marker file",
                       "add markers: FILE (.txt Audacity labels, .wav with cues, .csv, .yaml)");
    if (timing.mode != TimingMode::Markers && fields.has("markers"))
        fields.problem("markers", "only used in markers mode", "set mode: markers or remove it");
    read_hold_limits(fields, timing);
    read_speech(fields, timing.speech);
    read_words(fields, timing.mode, project_dir, timing.words);
    return timing;
}

}  // namespace storyreel
