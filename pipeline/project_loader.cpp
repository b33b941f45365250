#include "pipeline/project_loader.h"

#include <cmath>
#include <regex>
#include <set>

#include "pipeline/checked_number.h"
#include "pipeline/cut_clock.h"
#include "pipeline/look_loader.h"
#include "pipeline/project_source.h"
#include "pipeline/show_reader.h"
#include "pipeline/timing_spec_reader.h"
#include "pipeline/yaml_fields.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// Milliseconds from a seconds value, exact; nullopt when finer than 1 ms, malformed, or
/// longer than `max_seconds` either way.
std::optional<std::int64_t> milliseconds_of(const YAML::Node& node, double max_seconds) {
    if (!node.IsScalar()) return std::nullopt;
    auto value = Rational::parse(node.Scalar());
    if (!value ||
        std::abs(static_cast<double>(value->num) / static_cast<double>(value->den)) > max_seconds)
        return std::nullopt;
    const std::int64_t scaled = value->num * 1000;
    if (scaled % value->den != 0) return std::nullopt;
    return scaled / value->den;
}

class ProjectReader {
  public:
    ProjectReader(const fs::path& file, const ProjectLoadOptions& options, Diagnostics& diagnostics)
        : file_(file.string()), options_(options), diagnostics_(diagnostics) {
        project_.file = file;
    }

    std::optional<Project> read() {
        auto root = parse_yaml_file(file_, diagnostics_);
        if (!root) return std::nullopt;
        // The limits come first: they bound the walk of everything else (aliases expanded).
        const YAML::Node& top = *root;  // const lookup: no key is created
        if (top.IsMap()) read_input_limits(top["limits"], file_, project_.limits, diagnostics_);
        if (!yaml_within_limits(*root, file_, project_.limits, diagnostics_)) return std::nullopt;
        YamlFields fields(*root, file_, "project", diagnostics_);
        if (!fields.is_map()) return std::nullopt;
        fields.allow_only({"storyreel", "show", "audio", "sequences", "cut", "source", "limits",
                           "script", "checks"});
        read_version(fields);
        read_show(fields);
        clock_.rate = project_.show.frame_rate;
        if (fields.has("source")) read_source(fields);  // may set the frame rate
        project_.audio = read_audio_list(fields.node("audio"), "project audio");
        if (!fields.has("source")) read_sequences(fields);
        project_.cut = read_cut(fields, "project cut");
        if (fields.string("script"))  // a YAML script wins over a Storyboarder project's
            project_.script = resolve_input(fields.node("script"), "project script", "script");
        if (fields.has("checks")) project_.checks = {fields.node("checks"), file_};
        check_looks_in_cut(project_, diagnostics_);
        return project_;
    }

  private:
    /// `source:` names a Storyboarder scene/project or an image-sequence folder that
    /// supplies the panels instead of `sequences:`.
    void read_source(YamlFields& root) {
        if (root.has("sequences"))
            root.problem("sequences", "both 'sequences' and 'source' given",
                         "list panels under 'sequences' or read them from 'source', not both");
        if (!options_.sources) {
            root.problem("source", "this command cannot read project sources");
            return;
        }
        YamlFields source(root.node("source"), file_, "source", diagnostics_);
        if (!source.is_map()) return;
        auto path = source.string("path", true);
        if (!path) return;
        SourceRequest request;
        if (auto type = source.string("type")) request.type = *type;
        request.path =
            fs::path(*path).is_relative() ? project_.directory() / *path : fs::path(*path);
        request.path = request.path.lexically_normal();
        request.options = root.node("source");
        request.file = file_;
        request.show_keys = show_.keys;
        request.cache_dir = options_.cache_dir;
        const FrameRate rate = project_.show.frame_rate;
        options_.sources->read(request, project_, diagnostics_);
        if (!(project_.show.frame_rate == rate)) {  // the source set the rate
            clock_.rate = project_.show.frame_rate;
            if (auto tc = Timecode::parse(show_.start_timecode_text, project_.show.frame_rate))
                project_.show.start_timecode_frames = tc->frames();
            else
                root.problem("show", "start timecode '" + show_.start_timecode_text +
                                         "' does not fit the source's frame rate " +
                                         project_.show.frame_rate.to_string());
        }
    }

    void read_version(YamlFields& fields) {
        auto version = fields.integer("storyreel", true);
        if (version && *version != kProjectFormatVersion)
            fields.problem("storyreel",
                           "unsupported project format version " + std::to_string(*version),
                           "this storyreel reads version " + std::to_string(kProjectFormatVersion));
    }

    void read_show(YamlFields& root) {
        read_show_block(root, file_, project_.show, show_, diagnostics_);
    }

    fs::path resolve_input(const YAML::Node& node, const std::string& subject, const char* what) {
        fs::path path = node.Scalar();
        if (path.is_relative()) path = project_.directory() / path;
        path = path.lexically_normal();
        std::error_code error;
        if (!fs::is_regular_file(path, error))
            diagnostics_.add(location_of(node, file_), subject,
                             std::string(what) + " not found: " + path.string(),
                             "fix the path (relative to the project file) or add the file");
        return path;
    }

    /// `cut: FILE`, an editorial cut applied after loading (editorial/cut_retime.h).
    std::optional<CutReference> read_cut(YamlFields& fields, const std::string& subject) {
        if (!fields.string("cut")) return std::nullopt;
        return CutReference{resolve_input(fields.node("cut"), subject, "cut list"),
                            fields.where("cut")};
    }

    /// Seconds (at most 3 decimals) of `key` as 48 kHz samples.
    std::optional<std::int64_t> samples_of(YamlFields& fields, const char* key,
                                           bool allow_negative) {
        if (!fields.has(key)) return std::nullopt;
        auto ms = milliseconds_of(fields.node(key), cut_seconds());
        if (!ms || (!allow_negative && *ms < 0)) {
            const std::string longest = std::to_string(static_cast<std::int64_t>(cut_seconds()));
            fields.problem(key, allow_negative
                                    ? "expected seconds with at most 3 decimals, at most " +
                                          longest + " either way (the cut's limit)"
                                    : "expected seconds >= 0 with at most 3 decimals, at most " +
                                          longest + " (the cut's limit)");
            return std::nullopt;
        }
        return *ms * kAudioSampleRate / 1000;
    }

    AudioTrack read_audio_entry(YamlFields& fields, const std::string& subject) {
        fields.allow_only({"file", "offset", "offset_frames", "gain_db", "role", "fade_in",
                           "fade_out", "mute", "solo"});
        AudioTrack track;
        track.where = fields.where();
        if (fields.string("file", true))
            track.file = resolve_input(fields.node("file"), subject, "audio file");
        if (auto samples = samples_of(fields, "offset", true)) track.offset_samples = *samples;
        const std::int64_t cut_frames = cut_frame_limit();
        if (auto frames = fields.integer("offset_frames", -cut_frames, cut_frames))
            track.offset_samples =
                project_.show.frame_rate.sample_at_frame(*frames, kAudioSampleRate);
        track.offset_given = fields.has("offset") || fields.has("offset_frames");
        if (auto gain = fields.number("gain_db", kMinGainDb, kMaxGainDb)) track.gain_db = *gain;
        if (auto role = fields.string("role")) {
            if (*role != "dialogue" && *role != "music" && *role != "effects")
                fields.problem("role", "unknown role '" + *role + "'",
                               "use dialogue, music or effects");
            track.role = *role;
        }
        if (auto samples = samples_of(fields, "fade_in", false)) track.fade_in_samples = *samples;
        if (auto samples = samples_of(fields, "fade_out", false)) track.fade_out_samples = *samples;
        if (auto mute = fields.boolean("mute")) track.mute = *mute;
        if (auto solo = fields.boolean("solo")) track.solo = *solo;
        return track;
    }

    std::vector<AudioTrack> read_audio_list(const YAML::Node& list, const std::string& subject) {
        std::vector<AudioTrack> tracks;
        if (!list.IsDefined() || list.IsNull()) return tracks;
        if (!list.IsSequence()) {
            diagnostics_.add(location_of(list, file_), subject, "expected a list of audio files");
            return tracks;
        }
        for (const auto& entry : list) {
            YamlFields fields(entry, file_, subject, diagnostics_);
            if (!fields.is_map()) continue;
            tracks.push_back(read_audio_entry(fields, subject));
        }
        return tracks;
    }

    /// A panel's own sounds: they start at the panel's first frame (plus offset).
    void read_panel_audio(const YAML::Node& list, const std::string& subject, Panel& panel) {
        for (const AudioTrack& track : read_audio_list(list, subject + " audio")) {
            PanelAudioClip clip;
            clip.file = track.file;
            clip.offset_samples = track.offset_samples;
            clip.gain_db = track.gain_db;
            clip.fade_in_samples = track.fade_in_samples;
            clip.fade_out_samples = track.fade_out_samples;
            clip.mute = track.mute;
            clip.where = track.where;
            panel.audio.push_back(clip);
        }
    }

    void read_sequences(YamlFields& root) {
        YAML::Node list = root.node("sequences");
        if (!list.IsSequence() || list.size() == 0) {
            root.problem("sequences", "expected a non-empty list of sequences");
            return;
        }
        std::set<std::string> names;
        for (const auto& entry : list) {
            YamlFields fields(entry, file_, "sequence", diagnostics_);
            if (!fields.is_map()) continue;
            fields.allow_only({"name", "shots", "audio", "cut", "timing", "scene"});
            Sequence sequence;
            sequence.where = fields.where();
            sequence.name = checked_name(fields, "sequence");
            if (!names.insert(sequence.name).second)
                fields.problem("name", "sequence '" + sequence.name + "' appears twice");
            const std::string subject = "sequence " + sequence.name;
            sequence.audio = read_audio_list(fields.node("audio"), subject + " audio");
            sequence.cut = read_cut(fields, subject + " cut");
            if (auto scene = fields.string("scene")) sequence.script_scene = *scene;
            sequence.timing = read_sequence_timing(fields.node("timing"), file_, subject,
                                                   project_.directory(), diagnostics_);
            YAML::Node shots = fields.node("shots");
            if (!shots.IsSequence() || shots.size() == 0) {
                fields.problem("shots", "expected a non-empty list of shots");
            } else {
                for (const auto& shot : shots) read_shot(shot, sequence);
            }
            project_.sequences.push_back(std::move(sequence));
        }
    }

    void read_shot(const YAML::Node& node, Sequence& sequence) {
        YamlFields fields(node, file_, "sequence " + sequence.name, diagnostics_);
        if (!fields.is_map()) return;
        fields.allow_only({"name", "panels"});
        Shot shot;
        shot.where = fields.where();
        shot.name = checked_name(fields, "shot");
        for (const auto& existing : sequence.shots)
            if (existing.name == shot.name)
                fields.problem("name", "shot '" + shot.name + "' appears twice in the sequence");
        YAML::Node panels = fields.node("panels");
        if (!panels.IsSequence() || panels.size() == 0) {
            fields.problem("panels", "expected a non-empty list of panels");
        } else {
            for (const auto& panel : panels) read_panel(panel, sequence, shot);
        }
        sequence.shots.push_back(std::move(shot));
    }

    void read_panel(const YAML::Node& node, const Sequence& sequence, Shot& shot) {
        const std::string owner = sequence.name + "/" + shot.name;
        Panel panel;
        {
            // Name first, so every later message names the panel.
            YamlFields naming(node, file_, "shot " + owner, diagnostics_);
            if (!naming.is_map()) return;
            panel.name = checked_name(naming, "panel");
        }
        YamlFields fields(node, file_, "panel " + owner + "/" + panel.name, diagnostics_);
        fields.allow_only({"name", "board", "frames", "seconds", "duration", "dialogue", "action",
                           "notes", "min_frames", "max_frames", "audio", "camera", "transition",
                           "fade_out", "ack"});  // look: pipeline/look_loader.h
        panel.where = fields.where();
        for (const auto& existing : shot.panels)
            if (existing.name == panel.name)
                fields.problem("name", "panel '" + panel.name + "' appears twice in the shot");
        const std::string subject = "panel " + owner + "/" + panel.name;
        if (fields.string("board", true))
            panel.board = resolve_input(fields.node("board"), subject, "board image");
        const bool timed = sequence.timing.mode != TimingMode::Explicit;
        panel.hold_given = fields.has("frames") || fields.has("seconds") || fields.has("duration");
        if (!timed || panel.hold_given) panel.frames = read_hold(fields, subject);
        if (auto text = fields.string("dialogue")) panel.dialogue = *text;
        if (auto text = fields.string("action")) panel.action = *text;
        if (auto text = fields.string("notes")) panel.notes = *text;
        read_panel_limits(fields, panel, timed);
        read_panel_audio(fields.node("audio"), subject, panel);
        read_panel_look(fields, project_.show, panel);
        read_acks(fields, subject, panel);
        shot.panels.push_back(std::move(panel));
    }

    /// `ack: [rule, ...]` or `ack: [{rule: ..., reason: ...}]`; rule ids are checked by
    /// the checks library, which knows them.
    void read_acks(YamlFields& fields, const std::string& subject, Panel& panel) {
        if (!fields.has("ack")) return;
        const YAML::Node list = fields.node("ack");
        if (!list.IsSequence()) {
            fields.problem(
                "ack", "expected a list of check rule ids",
                "e.g. ack: [dialogue_pace] or ack: [{rule: dead_air, reason: \"beat\"}]");
            return;
        }
        for (const auto& entry : list) {
            Acknowledgement ack;
            ack.where = location_of(entry, file_);
            if (entry.IsScalar()) {
                ack.rule = entry.Scalar();
            } else {
                YamlFields item(entry, file_, subject + " ack", diagnostics_);
                if (!item.is_map()) continue;
                item.allow_only({"rule", "reason"});
                if (auto rule = item.string("rule", true)) ack.rule = *rule;
                if (auto reason = item.string("reason")) ack.reason = *reason;
            }
            panel.acks.push_back(std::move(ack));
        }
    }

    void read_panel_limits(YamlFields& fields, Panel& panel, bool timed) {
        const std::int64_t longest = hold_frame_limit();
        if (auto value = fields.integer("min_frames", 1, longest)) panel.min_frames = *value;
        if (auto value = fields.integer("max_frames", 1, longest)) {
            if (*value < std::max<std::int64_t>(1, panel.min_frames))
                fields.problem("max_frames", "must be at least min_frames");
            panel.max_frames = *value;
        }
        if (!timed && (fields.has("min_frames") || fields.has("max_frames")))
            fields.problem(fields.has("min_frames") ? "min_frames" : "max_frames",
                           "only used when the sequence's timing is fit, markers or dialogue",
                           "add a timing: block to the sequence or remove it");
    }

    /// Converts the panel's hold to frames on the continuous cut clock, so rounding never
    /// accumulates: each panel ends where the exact running total says.
    std::int64_t read_hold(YamlFields& fields, const std::string& subject) {
        const int given = fields.has("frames") + fields.has("seconds") + fields.has("duration");
        if (given != 1) {
            diagnostics_.add(fields.where(), subject,
                             given == 0 ? "no hold given" : "more than one hold given",
                             "give exactly one of frames, seconds or duration (HH:MM:SS:FF)");
            return 0;
        }
        const std::int64_t start = clock_.frame();
        if (auto frames = fields.integer("frames")) {
            if (*frames <= 0) {
                fields.problem("frames",
                               "hold must be at least one frame, got " + std::to_string(*frames));
                return 0;
            }
            if (*frames > hold_frame_limit()) {
                hold_too_long(fields, "frames");
                return 0;
            }
            clock_.advance_frames(*frames);
        } else if (fields.has("seconds")) {
            if (auto seconds = parse_real(fields.node("seconds").Scalar(), 0, 1e300);
                seconds && *seconds > project_.limits.max_hold_seconds) {
                hold_too_long(fields, "seconds");
                return 0;
            }
            auto ms = milliseconds_of(fields.node("seconds"), project_.limits.max_hold_seconds);
            if (!ms || *ms <= 0) {
                fields.problem("seconds", "expected a positive number of seconds (1 ms precision)");
                return 0;
            }
            clock_.advance_milliseconds(*ms);
        } else if (auto text = fields.string("duration")) {
            auto tc = Timecode::parse(*text, project_.show.frame_rate);
            if (!tc || tc->frames() <= 0) {
                fields.problem("duration", "expected a positive duration HH:MM:SS:FF");
                return 0;
            }
            if (tc->frames() > hold_frame_limit()) {
                hold_too_long(fields, "duration");
                return 0;
            }
            clock_.advance_frames(tc->frames());
        } else {
            return 0;
        }
        const std::int64_t held = clock_.frame() - start;
        if (held <= 0)
            diagnostics_.add(
                fields.where(), subject,
                "hold rounds to zero frames at " + project_.show.frame_rate.to_string() + " fps",
                "make the panel longer than half a frame");
        return held;
    }

    /// The longest hold and cut project_.limits allow, in frames at the show's rate.
    std::int64_t hold_frame_limit() const {
        return project_.limits.max_hold_frames(project_.show.frame_rate.as_double());
    }
    std::int64_t cut_frame_limit() const {
        return project_.limits.max_cut_frames(project_.show.frame_rate.as_double());
    }
    double cut_seconds() const { return project_.limits.max_cut_hours * 3600; }

    void hold_too_long(YamlFields& fields, const char* key) {
        fields.problem(
            key,
            "hold longer than " + std::to_string(hold_frame_limit()) +
                " frames (limit max_hold_seconds: " +
                std::to_string(static_cast<std::int64_t>(project_.limits.max_hold_seconds)) + " s)",
            "shorten the hold; if it is meant, raise max_hold_seconds in the project's limits: "
            "block (configs/README.md)");
    }

    std::string checked_name(YamlFields& fields, const char* what) {
        auto name = fields.string("name", true);
        if (!name) return std::string("<unnamed ") + what + ">";
        if (!is_safe_name(*name))
            fields.problem("name", std::string("unsafe ") + what + " name '" + *name + "'",
                           "names become file names: use letters, digits, '_', '-', '.', "
                           "not starting with '.'");
        return *name;
    }

    std::string file_;
    const ProjectLoadOptions& options_;
    Diagnostics& diagnostics_;
    Project project_;
    CutClock clock_{};
    ShowBlock show_;  ///< what the `show:` block said, for a source to complete
};

}  // namespace

bool is_safe_name(const std::string& name) {
    static const std::regex pattern(R"(^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$)");
    return std::regex_match(name, pattern) && name.find("..") == std::string::npos;
}

fs::path resolve_project_file(const fs::path& path) {
    std::error_code error;
    fs::path file = fs::is_directory(path, error) ? path / "project.yaml" : path;
    return fs::absolute(file, error).lexically_normal();
}

namespace {

/// A YAML file, or a folder holding project.yaml: read by the YAML loader itself.
bool is_project_yaml(const fs::path& path) {
    std::error_code error;
    if (fs::is_directory(path, error)) return fs::exists(path / "project.yaml", error);
    const std::string extension = path.extension().string();
    return extension == ".yaml" || extension == ".yml";
}

/// --project named a source itself (a .storyboarder file, an image folder...): the show
/// settings all come from the source.
std::optional<Project> load_source_project(const fs::path& path, const ProjectLoadOptions& options,
                                           Diagnostics& diagnostics) {
    std::error_code error;
    Project project;
    project.file = fs::absolute(path, error).lexically_normal();
    SourceRequest request;
    request.path = project.file;
    request.file = project.file.string();
    request.cache_dir = options.cache_dir;
    options.sources->read(request, project, diagnostics);
    project.show.start_timecode_frames =
        Timecode::parse("01:00:00:00", project.show.frame_rate)->frames();
    return project;
}

}  // namespace

std::optional<Project> load_project(const fs::path& path, Diagnostics& diagnostics,
                                    const ProjectLoadOptions& options) {
    const std::size_t before = diagnostics.size();
    std::optional<Project> project;
    if (options.sources && !is_project_yaml(path) && options.sources->recognises(path)) {
        project = load_source_project(path, options, diagnostics);
    } else {
        ProjectReader reader(resolve_project_file(path), options, diagnostics);
        project = reader.read();
    }
    if (diagnostics.size() != before) return std::nullopt;
    return project;
}

Project load_project_or_throw(const fs::path& path, const ProjectLoadOptions& options) {
    Diagnostics diagnostics;
    auto project = load_project(path, diagnostics, options);
    if (!project) throw ValidationError(diagnostics);
    return *project;
}

std::string panel_path(const Sequence& sequence, const Shot& shot, const Panel& panel) {
    return sequence.name + "/" + shot.name + "/" + panel.name;
}

}  // namespace storyreel
