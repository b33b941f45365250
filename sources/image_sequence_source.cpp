#include "sources/image_sequence_source.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "pipeline/cut_clock.h"
#include "pipeline/yaml_fields.h"
#include "sources/file_name_pattern.h"
#include "sources/timing_sheet.h"

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

bool is_image_file(const fs::path& path) {
    static const std::set<std::string> extensions{".png", ".jpg",  ".jpeg", ".tif", ".tiff", ".exr",
                                                  ".psd", ".webp", ".bmp",  ".tga", ".dpx"};
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
    return extensions.count(extension) > 0 && path.filename().string().front() != '.';
}

std::vector<fs::path> image_files(const fs::path& folder) {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(folder, error))
        if (item.is_regular_file() && is_image_file(item.path())) files.push_back(item.path());
    std::sort(files.begin(), files.end());
    return files;
}

/// "sh2" < "sh10": digit runs compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) &&
            std::isdigit(static_cast<unsigned char>(b[j]))) {
            std::size_t i_end = i, j_end = j;
            while (i_end < a.size() && std::isdigit(static_cast<unsigned char>(a[i_end]))) ++i_end;
            while (j_end < b.size() && std::isdigit(static_cast<unsigned char>(b[j_end]))) ++j_end;
            const unsigned long long x =
                std::stoull(a.substr(i, std::min<std::size_t>(i_end - i, 18)));
            const unsigned long long y =
                std::stoull(b.substr(j, std::min<std::size_t>(j_end - j, 18)));
            if (x != y) return x < y;
            i = i_end;
            j = j_end;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
    return a < b;  // "p02" and "p2" are different panels
}

struct PanelKey {
    std::string sequence, shot, panel;
    bool operator<(const PanelKey& other) const {
        if (sequence != other.sequence) return natural_less(sequence, other.sequence);
        if (shot != other.shot) return natural_less(shot, other.shot);
        return natural_less(panel, other.panel);
    }
};

struct Candidate {
    fs::path file;
    int version = 0;
};

struct FolderOptions {
    std::string pattern = kDefaultFileNamePattern;
    std::optional<std::int64_t> hold_frames;
    std::optional<std::int64_t> hold_ms;
    fs::path timing;  ///< empty: none
};

class ImageSequenceReader {
  public:
    ImageSequenceReader(const SourceRequest& request, Project& project, Diagnostics& diagnostics)
        : request_(request), project_(project), diagnostics_(diagnostics) {}

    void read() {
        if (!read_options()) return;
        std::string error;
        auto pattern = FileNamePattern::parse(options_.pattern, error);
        if (!pattern) {
            diagnostics_.add(where_, "source", "pattern '" + options_.pattern + "': " + error,
                             "for example " + std::string(kDefaultFileNamePattern));
            return;
        }
        pattern_ = &*pattern;
        collect_panels();
        if (panels_.empty()) {
            diagnostics_.add(
                where_, "source", "no board images in " + request_.path.string(),
                "put PNG/JPEG/TIFF/EXR boards named like sq010_sh020_p003_v002.png there");
            return;
        }
        std::map<std::string, TimingEntry> timing = read_timing();
        build_cut(timing);
    }

  private:
    bool read_options() {
        where_ = {request_.file, 0, 0};
        if (!request_.from_yaml()) {
            for (const char* name : {"timing.csv", "timing.yaml", "timing.yml"})
                if (fs::is_regular_file(request_.path / name))
                    options_.timing = request_.path / name;
            return true;
        }
        YamlFields fields(request_.options, request_.file, "source", diagnostics_);
        where_ = fields.where();
        const std::size_t before = diagnostics_.size();
        fields.allow_only({"type", "path", "pattern", "hold_frames", "hold_seconds", "timing"});
        if (auto text = fields.string("pattern")) options_.pattern = *text;
        if (auto frames = fields.integer("hold_frames")) {
            if (*frames <= 0) fields.problem("hold_frames", "must be at least 1");
            options_.hold_frames = *frames;
        }
        if (auto seconds = fields.number("hold_seconds")) {
            if (*seconds <= 0) fields.problem("hold_seconds", "must be positive");
            options_.hold_ms = std::llround(*seconds * 1000);
        }
        if (options_.hold_frames && options_.hold_ms)
            fields.problem("hold_seconds", "give hold_frames or hold_seconds, not both");
        if (auto timing = fields.string("timing")) {
            options_.timing = fs::path(*timing).is_relative()
                                  ? fs::path(request_.file).parent_path() / *timing
                                  : fs::path(*timing);
            if (!fs::is_regular_file(options_.timing))
                fields.problem("timing", "timing sheet not found: " + options_.timing.string());
        }
        return diagnostics_.size() == before;
    }

    void collect_panels() {
        std::error_code error;
        if (!fs::is_directory(request_.path, error)) {
            diagnostics_.add(where_, "source", "not a folder: " + request_.path.string());
            return;
        }
        for (const auto& file : image_files(request_.path)) {
            auto parsed = pattern_->match(file.stem().string());
            if (!parsed) {
                diagnostics_.add({file.string(), 0, 0}, "board file name",
                                 "cannot read sequence, shot and panel from '" +
                                     file.filename().string() + "' with the pattern " +
                                     pattern_->text(),
                                 "rename it (e.g. sq010_sh020_p003_v002.png), move it out of the "
                                 "folder, or set source.pattern");
                continue;
            }
            add_candidate(*parsed, file);
        }
    }

    void add_candidate(const ParsedFileName& parsed, const fs::path& file) {
        auto& candidates = panels_[{parsed.sequence, parsed.shot, parsed.panel}];
        for (const auto& other : candidates)
            if (other.version == parsed.version)
                diagnostics_.add({file.string(), 0, 0}, "panel " + parsed.panel_path(),
                                 "two boards for version " + std::to_string(parsed.version) + ": " +
                                     other.file.filename().string() + " and " +
                                     file.filename().string(),
                                 "keep one of them");
        candidates.push_back({file, parsed.version});
    }

    std::map<std::string, TimingEntry> read_timing() {
        std::map<std::string, TimingEntry> timing;
        if (options_.timing.empty()) return timing;
        const PanelNameReader panel_of =
            [this](const std::string& name) -> std::optional<std::string> {
            if (std::count(name.begin(), name.end(), '/') == 2) return name;
            if (auto parsed = pattern_->match(fs::path(name).stem().string()))
                return parsed->panel_path();
            if (auto parsed = pattern_->match(name)) return parsed->panel_path();
            return std::nullopt;
        };
        std::set<std::string> known;
        for (const auto& [key, candidates] : panels_)
            known.insert(key.sequence + "/" + key.shot + "/" + key.panel);
        for (auto& entry :
             read_timing_sheet(options_.timing, project_.show.frame_rate, panel_of, diagnostics_)) {
            if (!known.count(entry.panel)) {
                diagnostics_.add(
                    entry.where, "timing sheet",
                    "panel " + entry.panel + " has no board in " + request_.path.string(),
                    "fix the panel name in the sheet or add its board");
                continue;
            }
            timing.emplace(entry.panel, entry);
        }
        return timing;
    }

    void build_cut(const std::map<std::string, TimingEntry>& timing) {
        if (!request_.show_keys.count("name") && !request_.from_yaml())
            project_.show.name = request_.path.filename().string();
        CutClock clock{project_.show.frame_rate};
        std::int64_t superseded = 0;
        for (const auto& [key, candidates] : panels_) {
            const auto best = std::max_element(
                candidates.begin(), candidates.end(),
                [](const Candidate& a, const Candidate& b) { return a.version < b.version; });
            superseded += static_cast<std::int64_t>(candidates.size()) - 1;
            Panel panel;
            panel.name = key.panel;
            panel.board = best->file;
            panel.where = {best->file.string(), 0, 0};
            const std::int64_t start = clock.frame();
            const std::string path = key.sequence + "/" + key.shot + "/" + key.panel;
            if (auto timed = timing.find(path); timed != timing.end())
                clock.advance_frames(timed->second.frames);
            else if (options_.hold_ms)
                clock.advance_milliseconds(*options_.hold_ms);
            else if (options_.hold_frames)
                clock.advance_frames(*options_.hold_frames);
            else
                clock.advance_milliseconds(2000);  // Storyboarder's default board timing
            panel.frames = clock.frame() - start;
            panel.hold_given = true;
            if (panel.frames <= 0)
                diagnostics_.add(panel.where, "panel " + path, "hold rounds to zero frames");
            place(key, std::move(panel));
        }
        if (superseded > 0)
            spdlog::info("{}: {} older board version(s) superseded", request_.path.string(),
                         superseded);
    }

    void place(const PanelKey& key, Panel panel) {
        auto& sequences = project_.sequences;
        if (sequences.empty() || sequences.back().name != key.sequence) {
            sequences.push_back({});
            sequences.back().name = key.sequence;
            sequences.back().where = panel.where;
        }
        auto& shots = sequences.back().shots;
        if (shots.empty() || shots.back().name != key.shot) {
            shots.push_back({});
            shots.back().name = key.shot;
            shots.back().where = panel.where;
        }
        shots.back().panels.push_back(std::move(panel));
    }

    const SourceRequest& request_;
    Project& project_;
    Diagnostics& diagnostics_;
    SourceLocation where_;
    FolderOptions options_;
    const FileNamePattern* pattern_ = nullptr;
    std::map<PanelKey, std::vector<Candidate>> panels_;
};

}  // namespace

bool is_image_sequence_folder(const fs::path& path) {
    std::error_code error;
    return fs::is_directory(path, error) && !image_files(path).empty();
}

void read_image_sequence(const SourceRequest& request, Project& project, Diagnostics& diagnostics) {
    ImageSequenceReader(request, project, diagnostics).read();
}

}  // namespace storyreel::sources
