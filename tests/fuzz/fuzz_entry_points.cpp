#include "tests/fuzz/fuzz_entry_points.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "editorial/editorial_cut.h"
#include "media/plain_png_reader.h"
#include "pipeline/artifact_cache.h"
#include "pipeline/diagnostics.h"
#include "pipeline/file_hash_memo.h"
#include "pipeline/input_limits.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/project_loader.h"
#include "pipeline/shot_record.h"
#include "pipeline/timing_markers.h"
#include "publish/ascmhl.h"
#include "publish/c4_id.h"
#include "publish/changes.h"
#include "publish/listing.h"
#include "publish/publish_error.h"
#include "publish/pull.h"
#include "publish/sequence_folder.h"
#include "sources/file_name_pattern.h"
#include "sources/project_sources.h"
#include "sources/storyboarder_project.h"
#include "sources/storyboarder_scene.h"
#include "sources/timing_sheet.h"
#include "stages/builtin_stages.h"
#include "stages/png_board_signature.h"

namespace storyreel::fuzz {

namespace fs = std::filesystem;

namespace {

/// Writes `bytes` to `file` (replacing it), creating its folder.
fs::path put(const fs::path& file, std::string_view bytes) {
    std::error_code ignored;
    fs::create_directories(file.parent_path(), ignored);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file;
}

/// Writes `bytes` to `file` unless it is already there (the fixed files around an input).
void put_once(const fs::path& file, std::string_view bytes) {
    std::error_code ignored;
    if (!fs::exists(file, ignored)) put(file, bytes);
}

fs::path root(const Workspace& workspace) { return workspace.path(); }

// --- storyreel's own YAML -------------------------------------------------------------

void read_project_yaml(Workspace& workspace, std::string_view input) {
    const fs::path file = put(root(workspace) / "project" / "project.yaml", input);
    Diagnostics diagnostics;
    load_project(file, diagnostics, {&sources::project_sources(), {}});
}

void read_pipeline_yaml(Workspace& workspace, std::string_view input) {
    static const StageRegistry registry = builtin_stage_registry();
    const fs::path file = put(root(workspace) / "pipeline" / "pipeline.yaml", input);
    Diagnostics diagnostics;
    const auto pipeline = load_pipeline(file, registry, diagnostics);
    if (pipeline) validate_stage_params(*pipeline, registry, Project{}, diagnostics);
}

// --- Storyboarder ---------------------------------------------------------------------

void read_storyboarder_scene_file(Workspace& workspace, std::string_view input) {
    const fs::path file = put(root(workspace) / "scene" / "scene.storyboarder", input);
    Diagnostics diagnostics;
    sources::read_storyboarder_scene(file, diagnostics);
}

/// A multi-scene project boarded in Storyboarder, as the shared samples lay it out: the
/// script is the input, the storyboards/ folder is fixed.
fs::path storyboarded_project(const Workspace& workspace) {
    const fs::path folder = root(workspace) / "script-project";
    put_once(folder / "storyboards" / "storyboard.settings", R"({"aspectRatio": 1.7777})");
    for (const char* scene : {"Scene-1-EXT-A-PLACE-DAY-1-ZX3ZM", "Scene-2-INT-A-PLACE-DAY-2-FA5K7",
                              "Scene-3-EXT-HOUSE-DAY-3-T5KRK"})
        put_once(folder / "storyboards" / scene / (std::string(scene) + ".storyboarder"), "{}");
    return folder;
}

void read_fountain_script(Workspace& workspace, std::string_view input) {
    const fs::path file = put(storyboarded_project(workspace) / "script.fountain", input);
    Diagnostics diagnostics;
    sources::read_storyboarder_project(file, diagnostics);
}

void read_fdx_script(Workspace& workspace, std::string_view input) {
    const fs::path file = put(storyboarded_project(workspace) / "script.fdx", input);
    Diagnostics diagnostics;
    sources::read_storyboarder_project(file, diagnostics);
}

/// The input is the storyboards/ folder of a project without a script: the names of its
/// scene folders, one a line, then an empty line, then storyboard.settings.
void read_storyboarder_folder(Workspace& workspace, std::string_view input) {
    const fs::path folder = root(workspace) / "folder-project";
    std::error_code ignored;
    fs::remove_all(folder, ignored);
    const auto blank = input.find("\n\n");
    std::string_view names = input.substr(0, blank);
    const std::string_view settings =
        blank == std::string_view::npos ? "" : input.substr(blank + 2);
    for (int count = 0; !names.empty() && count < 16; ++count) {
        const auto end = names.find('\n');
        const std::string name(names.substr(0, end));
        names = end == std::string_view::npos ? "" : names.substr(end + 1);
        const bool plain = !name.empty() && name.size() < 200 && name != "." && name != ".." &&
                           name.find_first_of(std::string("/\0", 2)) == std::string::npos;
        if (plain) put(folder / "storyboards" / name / (name + ".storyboarder"), "{}");
    }
    put(folder / "storyboards" / "storyboard.settings", settings);
    Diagnostics diagnostics;
    sources::read_storyboarder_project(folder, diagnostics);
}

// --- editorial cuts ---------------------------------------------------------------------

void read_edl(Workspace& workspace, std::string_view input) {
    const fs::path file = put(root(workspace) / "cut" / "cut.edl", input);
    Diagnostics diagnostics;
    read_cmx3600_edl(file, FrameRate{30000, 1001}, diagnostics);  // drop-frame when FCM says so
}

void read_otio_cut(Workspace& workspace, std::string_view input) {
    const fs::path file = put(root(workspace) / "cut" / "cut.otio", input);
    Diagnostics diagnostics;
    read_otio(file, FrameRate{24, 1}, diagnostics);
}

// --- timing sheets and markers ----------------------------------------------------------

/// Reads `file` both ways timing is read from a table: as an image-sequence folder's
/// timing sheet and as cut markers.
void read_timing_table(const fs::path& file) {
    static const auto pattern = [] {
        std::string error;
        return sources::FileNamePattern::parse(sources::kDefaultFileNamePattern, error);
    }();
    const sources::PanelNameReader panel_of =
        [](const std::string& name) -> std::optional<std::string> {
        if (std::count(name.begin(), name.end(), '/') == 2) return name;
        if (auto parsed = pattern->match(fs::path(name).stem().string()))
            return parsed->panel_path();
        return std::nullopt;
    };
    Diagnostics diagnostics;
    sources::read_timing_sheet(file, FrameRate{24, 1}, panel_of, diagnostics);
    read_markers(file, FrameRate{24, 1}, "sequence sq010", diagnostics);
}

void read_timing_csv(Workspace& workspace, std::string_view input) {
    read_timing_table(put(root(workspace) / "timing" / "timing.csv", input));
}

void read_timing_yaml(Workspace& workspace, std::string_view input) {
    read_timing_table(put(root(workspace) / "timing" / "timing.yaml", input));
}

void read_audacity_labels(Workspace& workspace, std::string_view input) {
    const fs::path file = put(root(workspace) / "timing" / "labels.txt", input);
    Diagnostics diagnostics;
    read_markers(file, FrameRate{24, 1}, "sequence sq010", diagnostics);
}

void read_wav_cues(Workspace& workspace, std::string_view input) {
    const fs::path file = put(root(workspace) / "timing" / "cues.wav", input);
    Diagnostics diagnostics;
    read_markers(file, FrameRate{24, 1}, "sequence sq010", diagnostics);
}

// --- build records ----------------------------------------------------------------------

/// The input is a shot record, a movie's output record and the input-hash memo of a
/// cache's build log, each read back the way the next build reads them.
void read_build_log(Workspace& workspace, std::string_view input) {
    const fs::path folder = root(workspace) / "build-log";
    const fs::path movie = root(workspace) / "movies" / "sq010.mov";
    BuildLog log(folder);
    put(folder / "animatic" / "sq010~sh010.json", input);
    log.last("animatic", "sq010/sh010");
    std::error_code ignored;
    if (!fs::exists(folder / "animatic-output", ignored))
        log.record_output("animatic-output", movie, {});
    for (const auto& item : fs::directory_iterator(folder / "animatic-output"))
        if (item.path().extension() == ".json") put(item.path(), input);
    log.last_output("animatic-output", movie);
    put(folder / "input-hashes.json", input);
    put_once(root(workspace) / "board.png", "not really a png");
    FileHashMemo(folder / "input-hashes.json").hash(root(workspace) / "board.png");
}

/// The input is a cache entry's record (entry.json) and its verified stamp.
void read_cache_record(Workspace& workspace, std::string_view input) {
    static const std::string key = "xxh128:0123456789abcdef0123456789abcdef";
    ArtifactCache cache(root(workspace) / "cache");
    const fs::path folder = cache.entry_folder(key);
    put(folder / "segment.mov", "sixteen bytes...");
    put(folder / "entry.json", input);
    put(folder / "verified.json", input);
    std::string damage;
    cache.find(key, &damage);
}

// --- publishing ---------------------------------------------------------------------------

/// A published manifest with one panel and no output files.
constexpr std::string_view kPublishedManifest = R"({
  "format_version": 1, "tool": {"name": "storyreel", "version": "0.1.0"},
  "show": {"name": "Demo", "frame_rate": "24", "frame_rate_rational": "24/1",
           "resolution": [1920, 1080], "drop_frame": false},
  "sequence": "sq010", "start_timecode": "00:00:00:00", "end_timecode": "00:00:01:00",
  "frame_count": 24, "duration_seconds": 1.0,
  "panels": [{"panel": "sq010/sh010/p001", "shot": "sq010/sh010", "board": "/b/p001.png",
              "board_hash": "xxh128:00", "frames": 24, "record_in": "00:00:00:00",
              "record_out": "00:00:01:00", "dialogue": "", "notes": "", "audio": [], "look": ""}],
  "audio": [], "stages": [{"name": "animatic", "type": "prores", "settings": "xxh128:01", "params": {}}],
  "inputs": [], "fingerprint": "xxh128:02", "version": 1, "previous_version": null,
  "created": "2026-12-07T00:00:00Z", "changes": {"summary": "first version", "file": "changes.json"},
  "outputs": []
})";

/// A publish root holding `sequence` v001 with `manifest` and its CHANGES.txt.
fs::path published(const Workspace& workspace, const std::string& sequence,
                   std::string_view manifest) {
    const fs::path publish_root = root(workspace) / "publish";
    const fs::path version = publish_root / "Demo" / sequence / "v001";
    put(version / "manifest.json", manifest);
    put_once(version / "CHANGES.txt", "first version\n");
    return publish_root;
}

publish::PullRequest pull_request(const fs::path& publish_root, const std::string& sequence,
                                  const fs::path& to, std::set<std::string> what) {
    publish::PullRequest request;
    request.root = publish_root;
    request.sequence = sequence;
    request.to = to;
    request.what = std::move(what);
    return request;
}

/// The input is an editor's `.storyreel-pull.json`, read by the next pull.
void read_pull_state(Workspace& workspace, std::string_view input) {
    const fs::path publish_root = published(workspace, "sq010", kPublishedManifest);
    const fs::path to = root(workspace) / "editor";
    put(to / ".storyreel-pull.json", input);
    publish::pull(pull_request(publish_root, "sq010", to, {"manifest", "changes"}));
}

/// The input is a published manifest.json, read by `cuts`, `pull` and the next publish.
void read_published_manifest(Workspace& workspace, std::string_view input) {
    const fs::path publish_root = published(workspace, "sq020", input);
    try {
        publish::list_published(publish_root, "", "sq020");
    } catch (const publish::PublishError&) {
    }
    try {
        publish::pull(pull_request(publish_root, "sq020", root(workspace) / "editor-2",
                                   {"movie", "edl", "otio", "xml", "changes", "manifest"}));
    } catch (const publish::PublishError&) {
    }
    // As the next publish reads it: the previous version compared with the new one.
    const fs::path file = publish_root / "Demo" / "sq020" / "v001" / "manifest.json";
    const auto previous = publish::read_json_file(file);
    const auto current = nlohmann::json::parse(kPublishedManifest);
    publish::reading_json_of(file, [&] { return publish::compare_manifests(previous, current); });
}

/// The input is an ASC MHL file read by `storyreel checksum --verify FOLDER`: the chain
/// file when it says <ascmhldirectory>, otherwise a generation file, which the chain then
/// lists with its true C4 ID so the generation's hashes are read and checked.
void read_media_hash_list(Workspace& workspace, std::string_view input) {
    const fs::path folder = root(workspace) / "delivered";
    const fs::path mhl = folder / "ascmhl";
    put_once(folder / "movie.mov", "not really a movie");
    const std::string generation = "0001_delivered_2026-12-07_000000Z.mhl";
    if (input.find("ascmhldirectory") != std::string_view::npos) {
        put(mhl / "ascmhl_chain.xml", input);
        put(mhl / generation,
            R"(<?xml version="1.0" encoding="UTF-8"?>
<hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0"><hashes><hash>
<path size="18">movie.mov</path><xxh128 action="original">00</xxh128></hash></hashes></hashlist>
)");
    } else {
        put(mhl / generation, input);
        put(mhl / "ascmhl_chain.xml",
            R"(<?xml version="1.0" encoding="UTF-8"?>
<ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0"><hashlist sequencenr="1"><path>)" +
                generation + "</path><c4>" + publish::c4_id_of(input) +
                "</c4></hashlist></ascmhldirectory>\n");
    }
    publish::verify_mhl_history(folder);
}

/// The input is a PNG board `storyreel check` reads for its signature: the plain-PNG
/// decoder on its own (every row decoded), then the whole fast path (the decoder or libpng),
/// which returns nothing for what it does not take.
void read_png_board(Workspace& workspace, std::string_view input) {
    struct CountingSink : PngRowSink {
        bool wants_row(int y) const override { return y % 2 == 0; }
        void take_row(int, const std::uint8_t* row) override { sum += row[0]; }
        unsigned sum = 0;
    } sink;
    PlainPngReader reader;
    const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(input.data()),
                                              input.size());
    if (reader.open(bytes)) reader.read_rows(sink);
    const fs::path board = put(root(workspace) / "boards" / "board.png", input);
    InputLimits limits;
    limits.max_board_side = 4096;  // a few bytes must not ask for gigabytes
    limits.max_board_megapixels = 16;
    png_board_signature(board, limits);
}

}  // namespace

const std::vector<FuzzReader>& fuzz_readers() {
    static const std::vector<FuzzReader> readers{
        {"project_yaml", "a project's project.yaml", read_project_yaml},
        {"pipeline_yaml", "a pipeline file (configs/*.yaml)", read_pipeline_yaml},
        {"storyboarder_scene", "a Storyboarder .storyboarder scene (JSON)",
         read_storyboarder_scene_file},
        {"storyboarder_project",
         "a Storyboarder project's scene folder names and storyboard.settings",
         read_storyboarder_folder},
        {"fountain", "a Storyboarder project's Fountain script", read_fountain_script},
        {"fdx", "a Storyboarder project's Final Draft script", read_fdx_script},
        {"edl", "a CMX3600 EDL cut (29.97, drop-frame when it says so)", read_edl},
        {"otio", "an OpenTimelineIO cut", read_otio_cut},
        {"timing_csv", "a CSV timing sheet / marker table", read_timing_csv},
        {"timing_yaml", "a YAML timing sheet / marker table", read_timing_yaml},
        {"audacity_labels", "an Audacity label track", read_audacity_labels},
        {"wav_cues", "a WAV file's cue and label chunks", read_wav_cues},
        {"build_log", "a build log shot record, output record and input-hash memo", read_build_log},
        {"cache_record", "a cache entry's entry.json and verified stamp", read_cache_record},
        {"pull_state", "an editor folder's .storyreel-pull.json", read_pull_state},
        {"manifest", "a published version's manifest.json", read_published_manifest},
        {"ascmhl", "an ASC MHL generation or chain file (checksum --verify)", read_media_hash_list},
        {"png_board", "a PNG board read for its signature by storyreel check", read_png_board},
    };
    return readers;
}

const FuzzReader* find_fuzz_reader(std::string_view name) {
    for (const auto& reader : fuzz_readers())
        if (reader.name == name) return &reader;
    return nullptr;
}

void run_fuzz_input(const FuzzReader& reader, Workspace& workspace, std::string_view input) {
    try {
        reader.read(workspace, input);
    } catch (const ValidationError&) {
    } catch (const BuildError&) {
    } catch (const publish::PublishError&) {
    }
}

}  // namespace storyreel::fuzz
