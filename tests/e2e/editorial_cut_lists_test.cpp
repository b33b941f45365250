// Given a small demo project built with an encode stage and a cut_lists stage, at 24,
// 23.976, 25 and 29.97 drop-frame, every cut list (EDL, OTIO, FCP7 XML, FCPXML) should
// place every panel on exactly the frames the movie holds it (the movie counted by
// ffprobe), the FCPXML should validate against Apple's DTD with xmllint, build.json should
// record the lists like movies, and a failed build should leave no list behind.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "demo/demo_project.h"
#include "editorial/editorial_cut.h"
#include "editorial/xml_tree.h"
#include "pipeline/build.h"
#include "pipeline/exit_codes.h"
#include "stages/builtin_stages.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::read_file;

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPipeline = R"(pipeline: 1
settings: {frames_in_flight: 2}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: prores, type: encode, needs: [conform, audio], params: {codec: prores, profile: proxy}}
  - {name: lists, type: cut_lists, params: {formats: [edl, otio, xmeml, fcpxml], movie: prores}}
)";

/// A panel where a cut list (or the generator) puts it: name, first frame in the unit, hold.
struct Placement {
    std::string name;
    std::int64_t start = 0, frames = 0;
    bool operator==(const Placement&) const = default;
};
std::ostream& operator<<(std::ostream& out, const Placement& p) {
    return out << p.name << "@" << p.start << "+" << p.frames;
}

std::string run_command(const std::string& command, int* status = nullptr) {
    std::string output;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return output;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int code = pclose(pipe);
    if (status) *status = code;
    return output;
}

void replace_in_file(const fs::path& path, const std::string& from, const std::string& to) {
    std::string text = read_file(path);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << path;
    text.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

/// FCPXML time ("0s", "5s", "1001/24000s") in frames at `rate`; must be whole frames.
std::int64_t fcpxml_frames(std::string text, FrameRate rate) {
    EXPECT_EQ(text.back(), 's') << text;
    text.pop_back();
    const auto slash = text.find('/');
    const std::int64_t a = std::stoll(text.substr(0, slash));
    const std::int64_t b = slash == std::string::npos ? 1 : std::stoll(text.substr(slash + 1));
    EXPECT_EQ((a * rate.num) % (b * rate.den), 0) << text << " is not on a frame";
    return a * rate.num / (b * rate.den);
}

struct RateCase {
    const char* rate;
    const char* start_timecode;  ///< ';' makes it drop-frame
};

class CutListsAtRate : public ::testing::TestWithParam<RateCase> {
  protected:
    void SetUp() override {
        demo::DemoOptions options;
        options.sequences = 1;
        options.shots_per_sequence = 2;
        options.panels_per_shot = 3;
        options.min_hold_frames = 5;
        options.max_hold_frames = 13;
        options.width = 320;
        options.height = 180;
        options.frame_rate = GetParam().rate;
        options.varied_formats = false;
        project_ = demo::write_demo_project(dir_.path() / "project", options);
        replace_in_file(project_.project_file, "start_timecode: \"01:00:00:00\"",
                        std::string("start_timecode: \"") + GetParam().start_timecode + "\"");
        std::ofstream(dir_.path() / "pipeline.yaml") << kPipeline;
        BuildRequest request;
        request.project = project_.project_file;
        request.pipeline = dir_.path() / "pipeline.yaml";
        request.output_dir = out();
        result_ = run_build(request, builtin_stage_registry());
        rate_ = *FrameRate::parse(GetParam().rate);
        start_ = Timecode::parse(GetParam().start_timecode, rate_)->frames();
        for (const auto& panel : project_.panels)
            expected_.push_back({panel.sequence + "/" + panel.shot + "/" + panel.panel,
                                 panel.start_frame, panel.frames});
    }
    fs::path out() const { return dir_.path() / "out"; }

    testing::TempDir dir_;
    demo::DemoProject project_;
    BuildResult result_;
    FrameRate rate_;
    std::int64_t start_ = 0;
    std::vector<Placement> expected_;

  public:
    void check_movie_frames() {
        const fs::path movie = out() / "sq010_prores.mov";
        const std::string probe = run_command(
            "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
            "stream=nb_read_frames:stream_tags=timecode -of default=nw=1 '" +
            movie.string() + "'");
        EXPECT_NE(probe.find("nb_read_frames=" + std::to_string(project_.total_frames)),
                  std::string::npos)
            << probe;
        EXPECT_NE(probe.find(std::string("timecode=") + GetParam().start_timecode),
                  std::string::npos)
            << probe;
    }

    void check_edl() {
        const fs::path edl = out() / "sq010.edl";
        const std::string text = read_file(edl);
        const bool drop = std::string(GetParam().start_timecode).find(';') != std::string::npos;
        EXPECT_NE(text.find(drop ? "FCM: DROP FRAME\n" : "FCM: NON-DROP FRAME\n"),
                  std::string::npos);
        Diagnostics diagnostics;
        const auto cut = read_cmx3600_edl(edl, rate_, diagnostics);
        ASSERT_TRUE(cut) << diagnostics.to_string();
        std::vector<Placement> found;
        for (const auto& event : cut->events)
            found.push_back({event.names.front(), event.record_in - start_, event.frames()});
        EXPECT_EQ(found, expected_) << text;
        const std::regex audio_event(
            R"((?:^|\n)\d{3}  sq010    AA    C        (\S+) (\S+) (\S+) (\S+)\n)");
        std::smatch match;
        ASSERT_TRUE(std::regex_search(text, match, audio_event)) << text;
        EXPECT_EQ(
            Timecode::parse(match[4], rate_)->frames() - Timecode::parse(match[3], rate_)->frames(),
            project_.total_frames);
    }

    void check_otio() {
        const json cut = json::parse(read_file(out() / "sq010.otio"));
        EXPECT_EQ(cut["global_start_time"]["value"].get<double>(), start_);
        std::vector<Placement> found;
        std::int64_t at = 0;
        for (const auto& clip : cut["tracks"]["children"][0]["children"]) {
            const auto frames =
                static_cast<std::int64_t>(clip["source_range"]["duration"]["value"].get<double>());
            found.push_back({clip["name"], at, frames});
            at += frames;
        }
        EXPECT_EQ(found, expected_);
        const json movie = json::parse(read_file(out() / "sq010_movie.otio"));
        const auto& clip = movie["tracks"]["children"][0]["children"][0];
        EXPECT_EQ(clip["media_references"]["DEFAULT_MEDIA"]["target_url"], "sq010_prores.mov");
        EXPECT_EQ(clip["source_range"]["duration"]["value"].get<double>(), project_.total_frames);
        EXPECT_EQ(clip["source_range"]["start_time"]["value"].get<double>(), start_);
    }

    void check_xmeml() {
        const XmlDocument document = parse_xml_file(out() / "sq010.xml");
        const xmlNode* root = xmlDocGetRootElement(document.get());
        EXPECT_EQ(attribute_of(root, "version"), "5");
        const xmlNode* sequence = first_child(root, "sequence");
        EXPECT_EQ(text_of(first_child(sequence, "duration")),
                  std::to_string(project_.total_frames));
        const xmlNode* rate = first_child(sequence, "rate");
        EXPECT_EQ(text_of(first_child(rate, "timebase")), std::to_string(rate_.timecode_base()));
        EXPECT_EQ(text_of(first_child(rate, "ntsc")), rate_.is_ntsc() ? "TRUE" : "FALSE");
        const xmlNode* timecode = first_child(sequence, "timecode");
        EXPECT_EQ(text_of(first_child(timecode, "frame")), std::to_string(start_));
        EXPECT_EQ(text_of(first_child(timecode, "string")), GetParam().start_timecode);
        const xmlNode* track =
            first_child(first_child(first_child(sequence, "media"), "video"), "track");
        std::vector<Placement> found;
        for (const xmlNode* item : child_elements(track, "clipitem")) {
            const auto start = std::stoll(text_of(first_child(item, "start")));
            const auto end = std::stoll(text_of(first_child(item, "end")));
            EXPECT_EQ(end - start, std::stoll(text_of(first_child(item, "out"))) -
                                       std::stoll(text_of(first_child(item, "in"))));
            found.push_back({text_of(first_child(item, "name")), start, end - start});
        }
        EXPECT_EQ(found, expected_);
    }

    void check_fcpxml() {
        const fs::path file = out() / "sq010.fcpxml";
        int status = -1;
        const std::string output =
            run_command("xmllint --nonet --noout --dtdvalid '" STORYREEL_SHARED_DIR
                        "/schemas/fcpxml/FCPXMLv1_10.dtd' '" +
                            file.string() + "'",
                        &status);
        EXPECT_EQ(status, 0) << output << read_file(file);
        const XmlDocument document = parse_xml_file(file);
        const xmlNode* root = xmlDocGetRootElement(document.get());
        const xmlNode* sequence = first_child(
            first_child(first_child(first_child(root, "library"), "event"), "project"), "sequence");
        EXPECT_EQ(fcpxml_frames(attribute_of(sequence, "duration"), rate_), project_.total_frames);
        const std::int64_t tc_start = fcpxml_frames(attribute_of(sequence, "tcStart"), rate_);
        EXPECT_EQ(tc_start, start_);
        const bool drop = std::string(GetParam().start_timecode).find(';') != std::string::npos;
        EXPECT_EQ(attribute_of(sequence, "tcFormat"), drop ? "DF" : "NDF");
        std::vector<Placement> found;
        for (const xmlNode* video : child_elements(first_child(sequence, "spine"), "asset-clip"))
            found.push_back({attribute_of(video, "name"),
                             fcpxml_frames(attribute_of(video, "offset"), rate_) - tc_start,
                             fcpxml_frames(attribute_of(video, "duration"), rate_)});
        EXPECT_EQ(found, expected_);
    }

    void check_build_report() {
        const json report = json::parse(read_file(out() / "build.json"));
        std::set<std::string> lists;
        for (const auto& output : report["outputs"])
            if (output["kind"] == "cut_list") {
                lists.insert(fs::path(output["path"].get<std::string>()).filename().string());
                EXPECT_EQ(output["frame_count"], project_.total_frames);
                EXPECT_EQ(output["movie"], "sq010_prores.mov");
                EXPECT_TRUE(output["checksum"].get<std::string>().rfind("xxh128:", 0) == 0);
            }
        EXPECT_EQ(lists, (std::set<std::string>{"sq010.edl", "sq010.otio", "sq010_movie.otio",
                                                "sq010.xml", "sq010.fcpxml"}));
    }
};

// One build per rate (builds are the slow part); each check says which list failed.
TEST_P(CutListsAtRate, EveryListPlacesEveryPanelOnTheMovieFrames) {
    for (auto check : {&CutListsAtRate::check_movie_frames, &CutListsAtRate::check_edl,
                       &CutListsAtRate::check_otio, &CutListsAtRate::check_xmeml,
                       &CutListsAtRate::check_fcpxml, &CutListsAtRate::check_build_report})
        (this->*check)();
}

INSTANTIATE_TEST_SUITE_P(Rates, CutListsAtRate,
                         ::testing::Values(RateCase{"24", "01:00:00:00"},
                                           RateCase{"23.976", "01:00:00:00"},
                                           RateCase{"25", "10:00:00:00"},
                                           RateCase{"29.97", "00:00:59;20"}),
                         [](const auto& info) {
                             std::string name = info.param.rate;
                             for (char& c : name)
                                 if (c == '.') c = '_';
                             return name;
                         });

// Given a cut with a fade from black into its first panel, a dissolve, a dip to black and
// a fade out before a hard cut, every list should carry the transitions (EDL two-line
// dissolve events and BL fades, OTIO Transitions, xmeml transitionitems, FCPXML
// transitions valid against the DTD) while every panel keeps the frames the movie gives it.
/// The build the transition checks read (one build for all of them).
struct TransitionCut {
    testing::TempDir dir;
    demo::DemoProject project;
    testing::CliResult build;
    std::vector<Placement> expected;

    fs::path out() const { return dir.path() / "out"; }
    std::int64_t cut_into(std::size_t panel) const { return project.panels[panel].start_frame; }
};

/// Record frame 0 of the demo project (01:00:00:00 at 24 fps).
std::int64_t start() { return 3600 * 24; }

void add_look(const fs::path& project_file, const std::string& board, const std::string& look) {
    const std::string line = "board: boards/" + board + ".png\n";
    replace_in_file(project_file, line, line + "            " + look + "\n");
}

void build_transition_cut(TransitionCut& cut) {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 2;
    options.panels_per_shot = 3;
    options.min_hold_frames = 10;
    options.max_hold_frames = 14;
    options.width = 320;
    options.height = 180;
    options.varied_formats = false;
    cut.project = demo::write_demo_project(cut.dir.path() / "project", options);
    add_look(cut.project.project_file, "sq010_sh010_p001", "transition: {type: fade, frames: 4}");
    add_look(cut.project.project_file, "sq010_sh010_p002",
             "transition: {type: dissolve, frames: 5}");
    add_look(cut.project.project_file, "sq010_sh020_p001", "transition: {type: fade, frames: 4}");
    add_look(cut.project.project_file, "sq010_sh020_p002", "fade_out: 3");
    std::ofstream(cut.dir.path() / "pipeline.yaml") << kPipeline;
    cut.build = testing::run_storyreel({"build", "--project", cut.project.project_file.string(),
                                        "--pipeline", (cut.dir.path() / "pipeline.yaml").string(),
                                        "--out", (cut.dir.path() / "out").string()});
    for (const auto& panel : cut.project.panels)
        cut.expected.push_back({panel.sequence + "/" + panel.shot + "/" + panel.panel,
                                panel.start_frame, panel.frames});
}

void check_edl_dissolve_and_fade_events(const TransitionCut& built) {
    const auto& project_ = built.project;
    const auto& expected_ = built.expected;
    const std::string text = read_file(built.out() / "sq010.edl");
    const std::regex line_format(
        R"(^(\d{3})  ([A-Za-z0-9_ ]{8}) ([A-Z0-9 ]{5}) (C   |D   ) ([ 0-9]{3}) )"
        R"((\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d)$)");
    std::vector<std::smatch> lines;
    std::istringstream in(text);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    for (const auto& line : all) {
        std::smatch match;
        if (std::regex_match(line, match, line_format))
            lines.push_back(match);
        else
            EXPECT_TRUE(line.empty() || line[0] == '*' || line.rfind("TITLE: ", 0) == 0 ||
                        line.rfind("FCM: ", 0) == 0)
                << "not CMX3600: '" << line << "'";
    }
    const FrameRate rate{24, 1};
    auto frames = [&](const std::ssub_match& tc) {
        return Timecode::parse(tc.str(), rate)->frames() - start();
    };
    // The dissolve into sh010/p002 (5 frames, 2 before the cut): a zero-length cut line of
    // the outgoing source and a D 005 line sharing its number, starting 2 frames early.
    const std::int64_t cut = built.cut_into(1);
    auto dissolve =
        std::find_if(lines.begin(), lines.end(), [](const auto& m) { return m[5].str() == "005"; });
    ASSERT_NE(dissolve, lines.end()) << text;
    const auto& outgoing = *(dissolve - 1);
    EXPECT_EQ(outgoing[1].str(), (*dissolve)[1].str());
    EXPECT_EQ(outgoing[4].str(), "C   ");
    EXPECT_EQ(outgoing[8].str(), outgoing[9].str()) << "the outgoing line is zero-length";
    EXPECT_EQ((*dissolve)[4].str(), "D   ");
    EXPECT_EQ(frames((*dissolve)[8]), cut - 2);
    EXPECT_EQ(frames((*dissolve)[9]), cut + project_.panels[1].frames);
    EXPECT_NE(text.find("* FROM CLIP NAME: sq010/sh010/p001\n* TO CLIP NAME: sq010/sh010/p002\n"),
              std::string::npos);
    // Fades go through the black reel: from black at the start, a dip into sh020/p001, the
    // fade out of sh020/p002 (3 frames before its cut).
    std::vector<std::pair<std::int64_t, std::string>> black;  // record in, "D nnn" of BL lines
    for (const auto& m : lines)
        if (m[2].str() == "BL      ") black.push_back({frames(m[8]), m[4].str() + m[5].str()});
    const std::int64_t fade_out_at = built.cut_into(5) - 3;
    // The first is the zero-length lead-in cut OTIO's reader needs before a fade from black.
    EXPECT_EQ(black,
              (std::vector<std::pair<std::int64_t, std::string>>{{0, "C      "},
                                                                 {0, "C      "},
                                                                 {built.cut_into(3) - 2, "D   002"},
                                                                 {built.cut_into(3), "C      "},
                                                                 {fade_out_at, "D   003"}}))
        << text;
    Diagnostics diagnostics;
    const auto read_back = read_cmx3600_edl(built.out() / "sq010.edl", rate, diagnostics);
    ASSERT_TRUE(read_back) << diagnostics.to_string();
    std::vector<Placement> found;
    for (const auto& event : read_back->events)
        found.push_back({event.names.front(), event.record_in - start(), event.frames()});
    EXPECT_EQ(found, expected_) << text;
}

void check_otio_transitions_and_read_back(const TransitionCut& built) {
    const auto& expected_ = built.expected;
    const json cut = json::parse(read_file(built.out() / "sq010.otio"));
    std::vector<Placement> found;
    std::vector<std::string> transitions;
    std::int64_t at = 0;
    for (const auto& item : cut["tracks"]["children"][0]["children"]) {
        if (item["OTIO_SCHEMA"] == "Transition.1") {
            transitions.push_back(item["transition_type"].get<std::string>() + " " +
                                  item["name"].get<std::string>() + " " +
                                  std::to_string(item["in_offset"]["value"].get<int>()) + "/" +
                                  std::to_string(item["out_offset"]["value"].get<int>()));
            continue;
        }
        const auto frames =
            static_cast<std::int64_t>(item["source_range"]["duration"]["value"].get<double>());
        if (item["OTIO_SCHEMA"] == "Gap.1") {  // black: the side of a fade without a picture
            EXPECT_EQ(frames, 0);
            transitions.push_back("gap");
            continue;
        }
        found.push_back({item["name"], at, frames});
        at += frames;
    }
    EXPECT_EQ(found, expected_);
    EXPECT_EQ(transitions,
              (std::vector<std::string>{
                  "gap", "SMPTE_Dissolve Fade In 0/2", "SMPTE_Dissolve Cross Dissolve 2/3",
                  "SMPTE_Dissolve Fade Out 2/0", "gap", "SMPTE_Dissolve Fade In 0/2",
                  "SMPTE_Dissolve Fade Out 3/0", "gap"}));
    Diagnostics diagnostics;
    const auto read_back = read_otio(built.out() / "sq010.otio", FrameRate{24, 1}, diagnostics);
    ASSERT_TRUE(read_back) << diagnostics.to_string();
    std::vector<Placement> events;
    for (const auto& event : read_back->events)
        events.push_back({event.names.front(), event.record_in - start(), event.frames()});
    EXPECT_EQ(events, expected_);
}

/// A transitionitem's cut point, as FCP 7 (and OTIO's adapter) reads its alignment.
std::int64_t transition_cut(const xmlNode* item) {
    const auto first = std::stoll(text_of(first_child(item, "start")));
    const auto last = std::stoll(text_of(first_child(item, "end")));
    const std::string alignment = text_of(first_child(item, "alignment"));
    if (alignment == "start" || alignment == "start-black") return first;
    if (alignment == "end" || alignment == "end-black") return last;
    return (first + last) / 2;
}

void check_xmeml_transition_items(const TransitionCut& built) {
    const auto& expected_ = built.expected;
    const XmlDocument document = parse_xml_file(built.out() / "sq010.xml");
    const xmlNode* sequence = first_child(xmlDocGetRootElement(document.get()), "sequence");
    const xmlNode* track =
        first_child(first_child(first_child(sequence, "media"), "video"), "track");
    const auto items = child_elements(track);
    std::vector<Placement> found;
    std::vector<std::string> transitions;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const xmlNode* item = items[k];
        if (std::string(reinterpret_cast<const char*>(item->name)) == "transitionitem") {
            transitions.push_back(text_of(first_child(first_child(item, "effect"), "name")) + " " +
                                  text_of(first_child(item, "alignment")) + " " +
                                  text_of(first_child(item, "start")) + "-" +
                                  text_of(first_child(item, "end")));
            continue;
        }
        auto start_frame = std::stoll(text_of(first_child(item, "start")));
        auto end_frame = std::stoll(text_of(first_child(item, "end")));
        if (start_frame == -1) start_frame = transition_cut(items.at(k - 1));
        if (end_frame == -1) end_frame = transition_cut(items.at(k + 1));
        found.push_back({text_of(first_child(item, "name")), start_frame, end_frame - start_frame});
    }
    EXPECT_EQ(found, expected_);
    auto range = [](std::int64_t a, std::int64_t b) {
        return std::to_string(a) + "-" + std::to_string(b);
    };
    EXPECT_EQ(transitions,
              (std::vector<std::string>{
                  "Cross Dissolve start-black " + range(0, 2),
                  "Cross Dissolve center " + range(built.cut_into(1) - 2, built.cut_into(1) + 3),
                  "Cross Dissolve end-black " + range(built.cut_into(3) - 2, built.cut_into(3)),
                  "Cross Dissolve start-black " + range(built.cut_into(3), built.cut_into(3) + 2),
                  "Cross Dissolve end-black " + range(built.cut_into(5) - 3, built.cut_into(5))}));
}

void check_fcpxml_transitions(const TransitionCut& built) {
    const auto& project_ = built.project;
    const auto& expected_ = built.expected;
    const fs::path file = built.out() / "sq010.fcpxml";
    int status = -1;
    const std::string output =
        run_command("xmllint --nonet --noout --dtdvalid '" STORYREEL_SHARED_DIR
                    "/schemas/fcpxml/FCPXMLv1_10.dtd' '" +
                        file.string() + "'",
                    &status);
    EXPECT_EQ(status, 0) << output << read_file(file);
    const XmlDocument document = parse_xml_file(file);
    const xmlNode* sequence = first_child(
        first_child(
            first_child(first_child(xmlDocGetRootElement(document.get()), "library"), "event"),
            "project"),
        "sequence");
    const FrameRate rate{24, 1};
    EXPECT_EQ(fcpxml_frames(attribute_of(sequence, "duration"), rate), project_.total_frames);
    const auto items = child_elements(first_child(sequence, "spine"));
    auto name_of = [](const xmlNode* node) {
        return std::string(reinterpret_cast<const char*>(node->name));
    };
    auto offset = [&](const xmlNode* node) {
        return fcpxml_frames(attribute_of(node, "offset"), rate) - start();
    };
    auto duration = [&](const xmlNode* node) {
        return fcpxml_frames(attribute_of(node, "duration"), rate);
    };
    std::vector<Placement> found;
    std::int64_t next_offset = 0;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const xmlNode* item = items[k];
        if (name_of(item) == "transition") continue;
        // The spine is sequential: each element starts where the one before ended, less the
        // transition that overlaps both.
        const xmlNode* before =
            k > 0 && name_of(items[k - 1]) == "transition" ? items[k - 1] : nullptr;
        EXPECT_EQ(offset(item), next_offset - (before ? duration(before) : 0))
            << attribute_of(item, "name");
        next_offset = offset(item) + duration(item);
        if (name_of(item) != "asset-clip") continue;
        // A cross dissolve between two panels is centred on their cut.
        const xmlNode* after =
            k + 2 < items.size() && name_of(items[k + 1]) == "transition" ? items[k + 1] : nullptr;
        const bool dissolve_in = before && name_of(items[k - 2]) == "asset-clip";
        const bool dissolve_out = after && name_of(items[k + 2]) == "asset-clip";
        const std::int64_t first = offset(item) + (dissolve_in ? duration(before) / 2 : 0);
        const std::int64_t last = offset(item) + duration(item) -
                                  (dissolve_out ? duration(after) - duration(after) / 2 : 0);
        found.push_back({attribute_of(item, "name"), first, last - first});
    }
    EXPECT_EQ(next_offset, project_.total_frames);
    EXPECT_EQ(found, expected_);
}

void check_movie_keeps_the_cut_length(const TransitionCut& built) {
    const auto& project_ = built.project;
    const std::string probe = run_command(
        "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
        "stream=nb_read_frames -of default=nw=1 '" +
        (built.out() / "sq010_prores.mov").string() + "'");
    EXPECT_NE(probe.find("nb_read_frames=" + std::to_string(project_.total_frames)),
              std::string::npos)
        << probe;
}

// One build, every list checked (each check says which list failed).
TEST(CutListsWithTransitions, EveryListCarriesTheTransitionsOnTheMovieFrames) {
    TransitionCut cut;
    build_transition_cut(cut);
    ASSERT_EQ(cut.build.exit_code, 0) << testing::describe(cut.build);
    check_edl_dissolve_and_fade_events(cut);
    check_otio_transitions_and_read_back(cut);
    check_xmeml_transition_items(cut);
    check_fcpxml_transitions(cut);
    check_movie_keeps_the_cut_length(cut);
}

TEST(CutListsFailedBuild, LeavesNoCutListBehind) {
    testing::TempDir dir;
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 1;
    options.panels_per_shot = 3;
    options.min_hold_frames = 4;
    options.max_hold_frames = 6;
    options.width = 320;
    options.height = 180;
    options.varied_formats = false;
    const auto project = demo::write_demo_project(dir.path() / "project", options);
    std::ofstream(dir.path() / "project" / project.panels[2].board_file, std::ios::trunc)
        << "not a PNG";  // found broken while building, after the lists could be written
    std::ofstream(dir.path() / "pipeline.yaml") << kPipeline;
    const auto result = testing::run_storyreel(
        {"build", "--project", project.project_file.string(), "--pipeline",
         (dir.path() / "pipeline.yaml").string(), "--out", (dir.path() / "out").string()});
    EXPECT_EQ(result.exit_code, kExitBuildFailed) << testing::describe(result);
    for (const auto& entry : testing::list_files_recursive(dir.path() / "out")) {
        const std::string name = entry.filename().string();
        EXPECT_TRUE(
            name.find(".edl") == std::string::npos && name.find(".otio") == std::string::npos &&
            name.find(".xml") == std::string::npos && name.find(".fcpxml") == std::string::npos)
            << "left behind: " << entry;
    }
}

}  // namespace
}  // namespace storyreel
