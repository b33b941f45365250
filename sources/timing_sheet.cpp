#include "sources/timing_sheet.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "pipeline/checked_number.h"
#include "pipeline/timecode.h"
#include "pipeline/yaml_fields.h"

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string text) {
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
    text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    return text;
}

std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        if (c == ',' && !quoted) {
            cells.push_back(trimmed(cell));
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells.push_back(trimmed(cell));
    return cells;
}

/// Whole frames ("36") or a timecode duration ("00:00:01:12"); nullopt otherwise.
std::optional<std::int64_t> hold_frames(const std::string& text, FrameRate rate) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit))
        return parse_integer(text, 0, 999'999'999);  // more: refused like any non-number
    if (auto tc = Timecode::parse(text, rate)) return tc->frames();
    return std::nullopt;
}

class SheetReader {
  public:
    SheetReader(const fs::path& file, FrameRate rate, const PanelNameReader& panel_of,
                Diagnostics& diagnostics)
        : file_(file.string()), rate_(rate), panel_of_(panel_of), diagnostics_(diagnostics) {}

    std::vector<TimingEntry> read() {
        const std::string extension = fs::path(file_).extension().string();
        if (extension == ".yaml" || extension == ".yml")
            read_yaml();
        else
            read_csv();
        return entries_;
    }

  private:
    void read_csv() {
        std::ifstream in(file_);
        if (!in) {
            diagnostics_.add({file_, 0, 0}, "timing sheet", "cannot open file", "check the path");
            return;
        }
        std::string line;
        bool first_row = true;
        for (int number = 1; std::getline(in, line); ++number) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const std::string text = trimmed(line);
            if (text.empty() || text.front() == '#') continue;
            const auto cells = cells_of(text);
            const bool header = first_row && is_header(cells);
            first_row = false;
            if (header) continue;
            if (cells.size() != 2) {
                problem({file_, number, 1},
                        "expected two columns, panel and hold; got '" + text + "'");
                continue;
            }
            add(cells[0], cells[1], {file_, number, 1});
        }
    }

    static bool is_header(const std::vector<std::string>& cells) {
        std::string first = cells.front();
        std::transform(first.begin(), first.end(), first.begin(), ::tolower);
        return first == "panel";
    }

    void read_yaml() {
        auto root = load_yaml_file(file_, diagnostics_);
        if (!root) return;
        if (!root->IsMap()) {
            problem(location_of(*root, file_), "expected a mapping of panel: hold");
            return;
        }
        for (const auto& entry : *root) {
            const SourceLocation where = location_of(entry.first, file_);
            if (!entry.second.IsScalar()) {
                problem(where, "hold must be frames or HH:MM:SS:FF");
                continue;
            }
            add(entry.first.as<std::string>(""), entry.second.Scalar(), where);
        }
    }

    void add(const std::string& name, const std::string& hold, const SourceLocation& where) {
        auto panel = panel_of_(name);
        if (!panel) {
            problem(where, "'" + name + "' is not a panel name",
                    "write SEQUENCE/SHOT/PANEL, e.g. sq010/sh020/p003, or the board's file name");
            return;
        }
        auto frames = hold_frames(hold, rate_);
        if (!frames || *frames <= 0) {
            problem(where, "panel " + *panel + ": hold '" + hold +
                               "' is not a positive number of "
                               "frames or a timecode HH:MM:SS:FF at " +
                               rate_.to_string() + " fps");
            return;
        }
        if (!seen_.insert(*panel).second) {
            problem(where, "panel " + *panel + " is timed twice");
            return;
        }
        entries_.push_back({*panel, *frames, where});
    }

    void problem(const SourceLocation& where, const std::string& message,
                 const std::string& hint = "fix the timing sheet") {
        diagnostics_.add(where, "timing sheet", message, hint);
    }

    std::string file_;
    FrameRate rate_;
    const PanelNameReader& panel_of_;
    Diagnostics& diagnostics_;
    std::vector<TimingEntry> entries_;
    std::set<std::string> seen_;
};

}  // namespace

std::vector<TimingEntry> read_timing_sheet(const fs::path& file, FrameRate rate,
                                           const PanelNameReader& panel_of,
                                           Diagnostics& diagnostics) {
    return SheetReader(file, rate, panel_of, diagnostics).read();
}

}  // namespace storyreel::sources
