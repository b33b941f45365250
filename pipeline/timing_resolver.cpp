#include "pipeline/timing_resolver.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "pipeline/timing_fit.h"
#include "pipeline/timing_markers.h"
#include "pipeline/words_fallback.h"

namespace storyreel {

namespace {

/// A panel whose start is fixed by a marker or a detected line.
struct Anchor {
    double seconds = 0;  ///< in the timing track's own time
    std::string source;  ///< "marker", "dialogue" or "words"
    std::string detail;
    SourceLocation where;  ///< the marker's line, or the timing block
};

struct TimedPanel {
    Panel* panel = nullptr;
    std::string shot;
};

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f s", seconds);
    return text;
}

Rational exact_microseconds(double seconds) {
    return Rational{static_cast<std::int64_t>(std::llround(seconds * 1e6)), 1000000};
}

class SequenceTimer {
  public:
    SequenceTimer(const Project& project, Sequence& sequence, AudioAnalyzer* analyzer,
                  Diagnostics& diagnostics)
        : project_(project), sequence_(sequence), analyzer_(analyzer), diagnostics_(diagnostics) {
        for (auto& shot : sequence.shots)
            for (auto& panel : shot.panels) panels_.push_back({&panel, shot.name});
    }

    void run() {
        const SequenceTiming& timing = sequence_.timing;
        if (timing.mode == TimingMode::Explicit) return;
        track_ = timing_track();
        if (!track_) return;
        if (!measure_track()) return;
        if (timing.mode == TimingMode::Markers) anchor_markers();
        if (timing.mode == TimingMode::Dialogue) anchor_dialogue();
        if (timing.mode == TimingMode::Words) anchor_words();
        if (failed_) return;
        place_track();
        fit_segments();
    }

  private:
    void problem(const std::string& message, const std::string& hint,
                 const SourceLocation* where = nullptr) {
        diagnostics_.add(where ? *where : sequence_.timing.where, "sequence " + sequence_.name,
                         message, hint);
        failed_ = true;
    }

    AudioTrack* timing_track() {
        const SequenceTiming& timing = sequence_.timing;
        if (timing.track.empty()) {
            if (!sequence_.audio.empty()) return &sequence_.audio.front();
            problem(std::string(timing_mode_name(timing.mode)) + " timing needs a timing track",
                    "add the temp track under the sequence's audio: (or name it in timing.track)");
            return nullptr;
        }
        for (auto& track : sequence_.audio)
            if (track.file == timing.track) return &track;
        problem(
            "timing.track " + timing.track.string() + " is not one of the sequence's audio entries",
            "add it under the sequence's audio: so it is heard where the boards are cut");
        return nullptr;
    }

    bool measure_track() {
        if (!analyzer_) {
            problem("timing needs the audio to be decoded, and no decoder is available here",
                    "run storyreel build, validate or timing");
            return false;
        }
        try {
            track_seconds_ =
                static_cast<double>(analyzer_->sample_count(track_->file)) / kAudioSampleRate;
        } catch (const BuildError& error) {
            problem("cannot decode the timing track: " + error.diagnostic().message,
                    "convert " + track_->file.string() +
                        " to WAV or FLAC, or point timing.track at another file");
            return false;
        }
        const SequenceTiming& timing = sequence_.timing;
        span_start_ = timing.range_start.value_or(0.0);
        span_end_ = timing.range_end.value_or(track_seconds_);
        if (span_end_ > track_seconds_ + 1e-6) {
            problem("timing.range ends at " + seconds_text(span_end_) + ", after the end of " +
                        track_->file.filename().string() + " (" + seconds_text(track_seconds_) +
                        ")",
                    "end the range within the track");
            return false;
        }
        if (span_end_ <= span_start_) {
            problem("the timing track " + track_->file.filename().string() + " is empty",
                    "use a track with sound in it");
            return false;
        }
        return true;
    }

    void anchor_markers();
    void anchor_dialogue();
    void anchor_words();
    void record_words(const std::vector<std::size_t>& speaking,
                      const std::vector<LineAlignment>& lines,
                      const std::vector<SpeechSpan>& speech);
    void place_track();
    void fit_segments();
    void fit_segment(std::size_t first, std::size_t end, std::int64_t start_frame,
                     std::int64_t end_frame);

    const Project& project_;
    Sequence& sequence_;
    AudioAnalyzer* analyzer_;
    Diagnostics& diagnostics_;
    std::vector<TimedPanel> panels_;
    AudioTrack* track_ = nullptr;
    double track_seconds_ = 0, span_start_ = 0, span_end_ = 0;
    std::map<std::size_t, Anchor> anchors_;  ///< by panel index in the sequence
    bool failed_ = false;
};

/// Index of the panel a marker label names: "p003", "sh010/p003" or "sq010/sh010/p003".
std::optional<std::size_t> find_panel(const std::vector<TimedPanel>& panels,
                                      const std::string& sequence, const std::string& label,
                                      bool& ambiguous) {
    std::optional<std::size_t> found;
    ambiguous = false;
    for (std::size_t i = 0; i < panels.size(); ++i) {
        const std::string& name = panels[i].panel->name;
        const std::string in_shot = panels[i].shot + "/" + name;
        if (label == name || label == in_shot || label == sequence + "/" + in_shot) {
            if (found && label == name) ambiguous = true;
            found = i;
        }
    }
    return found;
}

void SequenceTimer::anchor_markers() {
    const SequenceTiming& timing = sequence_.timing;
    const std::string subject = "sequence " + sequence_.name + " markers";
    Diagnostics found;
    const auto markers = read_markers(timing.markers, project_.show.frame_rate, subject, found);
    if (!found.empty()) {
        diagnostics_.append(found);
        failed_ = true;
        return;
    }
    for (const auto& marker : markers) {
        // Unnamed labels and "(unused)" lines of a written onset file are comments.
        if (marker.label.empty() || marker.label[0] == '(') continue;
        bool ambiguous = false;
        auto index = find_panel(panels_, sequence_.name, marker.label, ambiguous);
        if (!index || ambiguous) {
            problem(ambiguous ? "marker '" + marker.label + "' names more than one panel"
                              : "marker '" + marker.label + "' names no panel of the sequence",
                    ambiguous ? "write it as SHOT/PANEL"
                              : "name each marker after its panel (PANEL or SHOT/PANEL)",
                    &marker.where);
            continue;
        }
        if (anchors_.count(*index)) {
            problem("two markers for panel '" + marker.label + "'", "keep one", &marker.where);
            continue;
        }
        anchors_[*index] = {marker.seconds, "marker",
                            "marker '" + marker.label + "' at " + seconds_text(marker.seconds) +
                                " (" + marker.where.to_string() + ")",
                            marker.where};
    }
}

/// Speech onsets inside the timed span (dialogue and words modes).
std::vector<SpeechSpan> spans_between(const std::vector<SpeechSpan>& all, double from, double to) {
    std::vector<SpeechSpan> inside;
    for (const auto& line : all)
        if (line.start >= from - 1e-9 && line.start < to) inside.push_back(line);
    return inside;
}

/// Only the en-us model ships with Debian; other languages need a model of their own.
bool english(const std::string& language) { return language.rfind("en", 0) == 0; }

void SequenceTimer::anchor_dialogue() {
    const SequenceTiming& timing = sequence_.timing;
    std::vector<SpeechSpan> lines;
    try {
        lines = spans_between(analyzer_->detect_speech(track_->file, timing.speech), span_start_,
                              span_end_);
    } catch (const BuildError& error) {
        problem("cannot decode the dialogue track: " + error.diagnostic().message,
                "convert it to WAV or FLAC");
        return;
    }
    std::vector<std::size_t> speaking;
    for (std::size_t i = 0; i < panels_.size(); ++i)
        if (!panels_[i].panel->dialogue.empty()) speaking.push_back(i);
    for (std::size_t k = 0; k < lines.size(); ++k) {
        DetectedLine detected{lines[k], {}};
        if (k < speaking.size()) {
            const TimedPanel& owner = panels_[speaking[k]];
            detected.panel = owner.shot + "/" + owner.panel->name;
            anchors_[speaking[k]] = {lines[k].start, "dialogue",
                                     "line " + std::to_string(k + 1) + " detected at " +
                                         seconds_text(lines[k].start) + " in " +
                                         track_->file.filename().string(),
                                     timing.where};
        }
        sequence_.detected_lines.push_back(detected);
    }
    if (speaking.size() > lines.size()) {
        char threshold[32];
        std::snprintf(threshold, sizeof threshold, "%.1f", timing.speech.threshold_db);
        problem(std::to_string(speaking.size()) + " panels carry dialogue but only " +
                    std::to_string(lines.size()) + " lines were detected in " +
                    track_->file.filename().string(),
                std::string("lower timing.detect.threshold_db (now ") + threshold +
                    ") or min_silence, remove dialogue from panels without a line, or time the "
                    "sequence with markers (storyreel timing --labels DIR writes the onsets)");
    }
}

void SequenceTimer::anchor_words() {
    const SequenceTiming& timing = sequence_.timing;
    std::vector<std::size_t> speaking;
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < panels_.size(); ++i) {
        if (panels_[i].panel->dialogue.empty()) continue;
        speaking.push_back(i);
        texts.push_back(panels_[i].panel->dialogue);
    }
    if (speaking.empty()) {
        problem("words timing needs the panels' dialogue, and no panel of the sequence has any",
                "write each panel's line under dialogue:, or time the sequence another way");
        return;
    }
    if (!english(timing.words.language) && timing.words.model.empty()) {
        spdlog::warn(
            "sequence {}: the dialogue is in '{}', and only the en-us speech model is "
            "available from Debian (pocketsphinx-en-us); its panels are cut on energy "
            "onsets, as in dialogue timing. Set timing.model to a PocketSphinx model "
            "for the language to cut on the words.",
            sequence_.name, timing.words.language);
        anchor_dialogue();
        return;
    }
    std::vector<SpeechSpan> speech;
    std::vector<LineAlignment> lines;
    try {
        speech = spans_between(analyzer_->detect_speech(track_->file, timing.speech), span_start_,
                               span_end_);
        lines = analyzer_->align_lines(track_->file, texts, timing.words,
                                       SpeechSpan{span_start_, span_end_});
    } catch (const BuildError& error) {
        const Diagnostic& why = error.diagnostic();
        problem("cannot find the dialogue's words in " + track_->file.filename().string() + ": " +
                    why.message,
                why.hint.empty() ? "convert the track to WAV or FLAC" : why.hint);
        return;
    }
    for (auto& line : lines)
        if (line.status != LineStatus::NotFound &&
            (line.start < span_start_ - 1e-9 || line.start >= span_end_))
            line = LineAlignment{};  // outside timing.range: not this sequence's
    place_unaligned_lines(lines, speech);
    record_words(speaking, lines, speech);
}

void SequenceTimer::record_words(const std::vector<std::size_t>& speaking,
                                 const std::vector<LineAlignment>& lines,
                                 const std::vector<SpeechSpan>& speech) {
    const SequenceTiming& timing = sequence_.timing;
    const FrameRate rate = project_.show.frame_rate;
    const double pre_roll = static_cast<double>(timing.words.pre_roll_frames * rate.den) / rate.num;
    const std::string track = track_->file.filename().string();
    for (std::size_t k = 0; k < lines.size() && k < speaking.size(); ++k) {
        const LineAlignment& line = lines[k];
        const TimedPanel& owner = panels_[speaking[k]];
        DetectedLine detected{{line.start, line.end}, owner.shot + "/" + owner.panel->name};
        detected.status = line.status;
        detected.text = owner.panel->dialogue;
        detected.confidence = line.confidence;
        detected.words = line.words;
        sequence_.detected_lines.push_back(detected);
        if (line.status == LineStatus::NotFound) {
            spdlog::warn(
                "sequence {}: the line of {} (\"{}\") was not found in {}; the panel is "
                "fitted between its neighbours. Check the recording and the panel's "
                "dialogue, or time it with a marker.",
                sequence_.name, detected.panel, owner.panel->dialogue, track);
            continue;
        }
        char detail[160];
        if (line.status == LineStatus::Aligned)
            std::snprintf(detail, sizeof detail, "line %zu aligned at %.3f s (confidence %.2f)",
                          k + 1, line.start, line.confidence);
        else
            std::snprintf(detail, sizeof detail,
                          "line %zu approximate: energy onset at %.3f s between aligned lines",
                          k + 1, line.start);
        sequence_.detected_lines.back().cut_seconds = std::max(span_start_, line.start - pre_roll);
        anchors_[speaking[k]] = {sequence_.detected_lines.back().cut_seconds, "words",
                                 std::string(detail) + " in " + track, timing.where};
    }
    for (const auto& span : unmatched_speech(lines, speech, 0.5)) {
        spdlog::warn("sequence {}: speech at {} .. {} in {} is no panel's line (a script change?)",
                     sequence_.name, seconds_text(span.start), seconds_text(span.end), track);
        DetectedLine extra{span, {}};
        extra.unmatched = true;
        sequence_.detected_lines.push_back(extra);
    }
}

/// Places the timing track so the timed span starts with the sequence, unless the
/// project gave its offset.
void SequenceTimer::place_track() {
    if (track_->offset_given) return;
    double start = span_start_;
    if (!sequence_.timing.range_start) {
        if (auto first = anchors_.find(0); first != anchors_.end()) start = first->second.seconds;
    }
    track_->offset_samples = -static_cast<std::int64_t>(std::llround(start * kAudioSampleRate));
}

void SequenceTimer::fit_segments() {
    const FrameRate rate = project_.show.frame_rate;
    const double offset = static_cast<double>(track_->offset_samples) / kAudioSampleRate;
    const std::int64_t total = rate.frames_at(exact_microseconds(span_end_ + offset));
    if (total < 1) {
        problem("the timed range ends before the sequence starts",
                "check the timing track's offset and timing.range");
        return;
    }
    std::vector<std::pair<std::size_t, std::int64_t>> bounds{{0, 0}};
    for (const auto& [index, anchor] : anchors_) {
        const double at = anchor.seconds + offset;
        const SourceLocation* where = &anchor.where;
        const std::string name = panels_[index].shot + "/" + panels_[index].panel->name;
        if (anchor.seconds > span_end_ + 1e-6) {
            problem(anchor.source + " for " + name + " at " + seconds_text(anchor.seconds) +
                        " is beyond the end of the audio (" + track_->file.filename().string() +
                        " ends at " + seconds_text(span_end_) + ")",
                    "move the marker inside the track, or time against a longer track", where);
            continue;
        }
        if (at < -1e-6) {
            problem(anchor.source + " for " + name + " at " + seconds_text(anchor.seconds) +
                        " comes before the sequence starts",
                    "remove it or change the track's offset / timing.range", where);
            continue;
        }
        if (index == 0) continue;  // the first panel always starts the sequence
        const std::int64_t frame = rate.frames_at(exact_microseconds(at));
        if (frame <= bounds.back().second || frame >= total) {
            problem(anchor.source + " for " + name + " at " + seconds_text(anchor.seconds) +
                        " leaves no frame for the panel before it or for itself",
                    "put the markers in panel order, at least one frame apart", where);
            continue;
        }
        bounds.emplace_back(index, frame);
    }
    bounds.emplace_back(panels_.size(), total);
    if (failed_) return;
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i)
        fit_segment(bounds[i].first, bounds[i + 1].first, bounds[i].second, bounds[i + 1].second);
}

void SequenceTimer::fit_segment(std::size_t first, std::size_t end, std::int64_t start_frame,
                                std::int64_t end_frame) {
    const SequenceTiming& timing = sequence_.timing;
    double given = 0;
    int given_count = 0;
    for (const auto& timed : panels_)
        if (timed.panel->hold_given)
            given += static_cast<double>(timed.panel->frames), ++given_count;
    const double default_weight = given_count ? given / given_count : 1.0;
    std::vector<FitPanel> fit;
    for (std::size_t i = first; i < end; ++i) {
        const Panel& panel = *panels_[i].panel;
        fit.push_back({panel.hold_given ? static_cast<double>(panel.frames) : default_weight,
                       panel.min_frames ? panel.min_frames : timing.min_frames,
                       panel.max_frames ? panel.max_frames : timing.max_frames});
    }
    std::string why;
    auto frames = fit_frames(fit, end_frame - start_frame, why);
    auto label = [&](std::size_t i) { return panels_[i].shot + "/" + panels_[i].panel->name; };
    const std::string range = label(first) + (end - first > 1 ? " .. " + label(end - 1) : "");
    if (!frames) {
        problem(
            "cannot time panels " + range + ": " + why,
            "lower min_frames / raise max_frames (sequence timing: or the panels), or give them "
            "more audio");
        return;
    }
    const bool fit_mode = timing.mode == TimingMode::Fit;
    for (std::size_t i = first; i < end; ++i) {
        Panel& panel = *panels_[i].panel;
        panel.frames = (*frames)[i - first];
        auto anchor = anchors_.find(i);
        if (anchor != anchors_.end()) {
            panel.timing = {anchor->second.source, anchor->second.detail};
        } else if (fit_mode) {
            panel.timing = {"fit", "share of " + std::to_string(end_frame - start_frame) +
                                       " frames (" + track_->file.filename().string() + ", " +
                                       seconds_text(span_end_ - span_start_) + ")"};
        } else {
            panel.timing = {"between", "shares frames " + std::to_string(start_frame) + ".." +
                                           std::to_string(end_frame) + " with " + range};
        }
    }
}

}  // namespace

void resolve_timing(Project& project, AudioAnalyzer* analyzer, Diagnostics& diagnostics) {
    for (auto& sequence : project.sequences)
        SequenceTimer(project, sequence, analyzer, diagnostics).run();
}

}  // namespace storyreel
