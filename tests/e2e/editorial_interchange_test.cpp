// Given a cut with a 12-frame slate, a fade from black into its first panel, a dissolve, a
// dip to black, a fade out before a hard cut, a fade out at its end and dialogue markers,
// built at 23.976, 24, 25, 29.97 DF and 59.94 DF, every cut list should read, in the
// readers editors use (OpenTimelineIO's cmx_3600, fcp_xml and fcpx_xml adapters, re-stated
// in tests/support/interchange_readers.h because the OTIO package cannot be installed
// here), by FCPXML's own timing rules in exact rational time, and by storyreel's own EDL
// and OTIO readers, as exactly the cut build.json records: every panel on its record
// frames, its dialogue marker (an Avid locator in the EDL) on its own cut, the dissolve
// between two panels and every fade to or from black, never a blend of two panels. The expectations
// come from the formats' rules (CMX3600: an event's record range starts at its dissolve; FCP 7: a
// clip next to a transition takes its cut from the transition's alignment; FCPXML: a transition
// overlaps the elements on both sides), not from storyreel's writers or readers.

#include <gtest/gtest.h>
#include <libxml/xpath.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "demo/demo_project.h"
#include "editorial/ascii_text.h"
#include "editorial/editorial_cut.h"
#include "editorial/xml_tree.h"
#include "pipeline/frame_rate.h"
#include "pipeline/timecode.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/interchange_readers.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ReadItem;

constexpr const char* kPipeline = R"(pipeline: 1
settings: {frames_in_flight: 2}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: slate, type: slate, params: {frames: 12}}
  - {name: prores, type: encode, needs: [conform, audio, slate], params: {codec: prores, profile: proxy}}
  - {name: lists, type: cut_lists, params: {movie: prores}}
)";
constexpr std::int64_t kSlateFrames = 12;
constexpr const char* kShowName = "Tête-à-tête Ünit";  // UTF-8, which CMX3600 cannot hold
constexpr const char* kShowAscii = "Tete-a-tete Unit";

/// A panel as build.json records it.
struct Panel {
    std::string name;
    std::int64_t cut = 0, frames = 0;  ///< record frames from the unit's first frame
    std::string dialogue;
    std::int64_t end() const { return cut + frames; }
};

/// The transitions the test project asks for, in record frames (see build()).
struct Transitions {
    std::int64_t fade_in = 2;        ///< into panel 0: a 4-frame fade, half before the movie
    std::int64_t dissolve_half = 3;  ///< into panel 1: 6 frames centred on the cut
    std::int64_t dip_half = 2;       ///< into panel 3: 4 frames, black on the cut
    std::int64_t fade_out = 3;       ///< panel 4's last frames, then a hard cut
    std::int64_t end_fade_out = 4;   ///< panel 5's last frames, the end of the movie
};

struct RateCase {
    const char* rate;
    const char* start_timecode;  ///< ';' makes it drop-frame
};

class EditorialInterchange : public ::testing::TestWithParam<RateCase> {
  protected:
    void SetUp() override {
        demo::DemoOptions options;
        options.sequences = 1;
        options.shots_per_sequence = 2;
        options.panels_per_shot = 3;
        options.min_hold_frames = 10;
        options.max_hold_frames = 14;
        options.width = 320;
        options.height = 180;
        options.frame_rate = GetParam().rate;
        options.varied_formats = false;
        project_ = demo::write_demo_project(dir_.path() / "project", options);
        const fs::path file = project_.project_file;
        ASSERT_TRUE(testing::replace_in_file(
            file, "start_timecode: \"01:00:00:00\"",
            std::string("start_timecode: \"") + GetParam().start_timecode + "\""));
        ASSERT_TRUE(testing::replace_in_file(file, "name: Demo Show",
                                             std::string("name: \"") + kShowName + "\""));
        add_look(file, "sq010_sh010_p001", "transition: {type: fade, frames: 4}");
        add_look(file, "sq010_sh010_p002", "transition: {type: dissolve, frames: 6}");
        add_look(file, "sq010_sh020_p001", "transition: {type: fade, frames: 4}");
        add_look(file, "sq010_sh020_p002", "fade_out: 3");
        add_look(file, "sq010_sh020_p003", "fade_out: 4");
        for (const char* board :
             {"sq010_sh010_p001", "sq010_sh010_p002", "sq010_sh020_p001", "sq010_sh020_p003"})
            add_dialogue_if_none(file, board);
        std::ofstream(dir_.path() / "pipeline.yaml") << kPipeline;
        build_ = testing::run_storyreel({"build", "--project", file.string(), "--pipeline",
                                         (dir_.path() / "pipeline.yaml").string(), "--out",
                                         out().string()});
        ASSERT_EQ(build_.exit_code, 0) << testing::describe(build_);
        rate_ = *FrameRate::parse(GetParam().rate);
        start_ = Timecode::parse(GetParam().start_timecode, rate_)->frames();
        report_ = json::parse(testing::read_file(out() / "build.json"));
        for (const auto& entry : report_["timing"])
            panels_.push_back(
                {entry["panel"], entry["unit_start_frame"], entry["frames"], entry["dialogue"]});
        ASSERT_EQ(panels_.size(), 6u);
        total_ = panels_.back().end();
    }

    static void add_look(const fs::path& file, const std::string& board, const std::string& look) {
        const std::string line = "board: boards/" + board + ".png\n";
        ASSERT_TRUE(testing::replace_in_file(file, line, line + "            " + look + "\n"));
    }
    /// Makes sure the panel has dialogue (its marker), whatever the demo drew for it.
    static void add_dialogue_if_none(const fs::path& file, const std::string& board) {
        const std::string text = testing::read_file(file);
        const auto at = text.find("board: boards/" + board + ".png\n");
        const auto next = text.find("- name:", at);
        if (text.substr(at, next - at).find("dialogue:") != std::string::npos) return;
        add_look(file, board, "dialogue: \"Café au lait, s'il vous plaît.\"");
    }

    fs::path out() const { return dir_.path() / "out"; }
    bool drop_frame() const {
        return std::string(GetParam().start_timecode).find(';') != std::string::npos;
    }
    bool integer_rate() const { return rate_.den == 1; }

    testing::TempDir dir_;
    demo::DemoProject project_;
    testing::CliResult build_;
    FrameRate rate_;
    std::int64_t start_ = 0, total_ = 0;
    json report_;
    std::vector<Panel> panels_;
    Transitions t_;

  public:
    void check_build_report();
    void check_edl();
    void check_edl_locators(const std::string& text, const testing::ReadTrack& video);
    void check_xmeml();
    void check_otio();
    void check_fcpxml();
    void check_fcpxml_spine(xmlDoc* document);
    void check_own_readers();
    void check_movie();
};

std::string describe(const std::vector<ReadItem>& items) {
    std::ostringstream text;
    for (const auto& item : items) {
        const char* kind = item.kind == ReadItem::Kind::Clip  ? "clip"
                           : item.kind == ReadItem::Kind::Gap ? "gap"
                                                              : "tr";
        text << kind << " '" << item.name << "' reel=" << item.reel << " @" << item.record_in << "+"
             << item.duration << " src=" << item.source_in << " off=" << item.in_offset << "/"
             << item.out_offset << " " << item.alignment << "\n";
    }
    return text.str();
}

std::string errors_of(const testing::ReadTimeline& read) {
    std::string text;
    for (const auto& error : read.errors) text += error + "\n";
    return text;
}

// build.json: counts are numbers; a cut list says how many panels (and an EDL how many
// events) it holds; the movie says its slate and its profile.
void EditorialInterchange::check_build_report() {
    int lists = 0;
    std::set<std::string> names;
    for (const auto& output : report_["outputs"]) {
        if (output["kind"] == "movie") {
            EXPECT_TRUE(output["slate_frames"].is_number()) << output.dump();
            EXPECT_EQ(output["slate_frames"], kSlateFrames);
            EXPECT_EQ(output["profile"], "proxy");
        }
        if (output["kind"] != "cut_list") continue;
        ++lists;
        names.insert(fs::path(output["path"].get<std::string>()).filename().string());
        EXPECT_EQ(output["frame_count"], total_);
        EXPECT_EQ(output["movie"], "sq010_prores.mov");
        EXPECT_EQ(output["checksum"].get<std::string>().rfind("xxh128:", 0), 0u);
        EXPECT_TRUE(output["panels"].is_number()) << output.dump();
        EXPECT_EQ(output["panels"], panels_.size());
        if (output["format"] == "edl") {
            EXPECT_TRUE(output["events"].is_number()) << output.dump();
            // Picture: the lead-in cut, the fade in, p2 (dissolve), p3, the dip's black and
            // p4, p5, its fade's black, p6, the end fade's black; then the audio.
            EXPECT_EQ(output["events"], 11);
        } else {
            EXPECT_FALSE(output.contains("events")) << output.dump();
        }
    }
    EXPECT_EQ(lists, 5);
    EXPECT_EQ(names, (std::set<std::string>{"sq010.edl", "sq010.otio", "sq010_movie.otio",
                                            "sq010.xml", "sq010.fcpxml"}));
}

// EDL, as OTIO's cmx_3600 adapter reads it: no error; TITLE and comments in 7-bit ASCII;
// on V, each panel's event starts where the picture starts being it (the dissolve's first
// frame) and the events butt; black is the BL reel; the source timecode is the movie's.
void EditorialInterchange::check_edl() {
    const std::string text = testing::read_file(out() / "sq010.edl");
    for (unsigned char c : text)
        ASSERT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7F)) << "not 7-bit ASCII:\n" << text;
    const auto read = testing::read_edl_like_otio(text, rate_);
    EXPECT_TRUE(read.errors.empty()) << errors_of(read) << text;
    EXPECT_EQ(read.title, std::string(kShowAscii) + " sq010");
    EXPECT_NE(text.find(drop_frame() ? "FCM: DROP FRAME" : "FCM: NON-DROP FRAME"),
              std::string::npos);
    const auto* video = read.track("V");
    ASSERT_TRUE(video);
    // name, record in (from the unit's start), frames, and the dissolve into it (0: a cut).
    struct Event {
        std::string name;
        std::int64_t in, frames, dissolve;
        bool operator==(const Event&) const = default;
    };
    const auto& p = panels_;
    const std::int64_t dip_black = p[3].cut;  // centred: black on the cut
    const std::vector<Event> expected = {
        {"BL", 0, 0, 0},  // the zero-length lead-in: OTIO refuses a track opening on a dissolve
        {p[0].name, 0, p[1].cut - t_.dissolve_half, t_.fade_in},
        {p[1].name, p[1].cut - t_.dissolve_half, p[2].cut - (p[1].cut - t_.dissolve_half),
         2 * t_.dissolve_half},
        {p[2].name, p[2].cut, dip_black - t_.dip_half - p[2].cut, 0},
        {"BL", dip_black - t_.dip_half, t_.dip_half, t_.dip_half},
        {p[3].name, dip_black, p[4].cut - dip_black, t_.dip_half},
        {p[4].name, p[4].cut, p[4].frames - t_.fade_out, 0},
        {"BL", p[4].end() - t_.fade_out, t_.fade_out, t_.fade_out},
        {p[5].name, p[5].cut, p[5].frames - t_.end_fade_out, 0},
        {"BL", p[5].end() - t_.end_fade_out, t_.end_fade_out, t_.end_fade_out}};
    std::vector<Event> found;
    std::int64_t dissolve = 0;
    for (const auto& item : video->items) {
        if (item.kind == ReadItem::Kind::Transition) {
            dissolve = item.out_offset;
            continue;
        }
        ASSERT_EQ(item.kind, ReadItem::Kind::Clip) << describe(video->items);
        const std::int64_t in = item.record_in - start_;
        found.push_back({item.reel == "BL" ? "BL" : item.name, in, item.duration, dissolve});
        dissolve = 0;
        if (item.reel != "BL")
            EXPECT_EQ(item.source_in, start_ + in) << item.name << ": source TC is the movie's";
    }
    EXPECT_EQ(found.size(), expected.size()) << describe(video->items);
    for (std::size_t i = 0; i < std::min(found.size(), expected.size()); ++i)
        EXPECT_TRUE(found[i] == expected[i])
            << "event " << i << ": " << found[i].name << "@" << found[i].in << "+"
            << found[i].frames << " D" << found[i].dissolve << ", expected " << expected[i].name
            << "@" << expected[i].in << "+" << expected[i].frames << " D" << expected[i].dissolve;
    check_edl_locators(text, *video);
    for (const char* audio : {"A1", "A2"}) {
        const auto* track = read.track(audio);
        ASSERT_TRUE(track) << audio;
        ASSERT_EQ(track->items.size(), 1u);
        EXPECT_EQ(track->start - start_, 0);
        EXPECT_EQ(track->items[0].duration, total_);
    }
}

// EDL dialogue: one Avid locator per panel with dialogue ("* LOC: TC COLOUR  text", text
// from column 28, at most 80 columns), at the record timecode of the panel's own cut (not
// its event's first frame, which a dissolve or fade moves earlier), in the event holding
// that frame, the text the dialogue in 7-bit ASCII (cut with "..." past 80 columns). Read
// by OTIO's pattern, each is that clip's marker at that timecode; its pattern takes ':'
// timecodes only, so at drop-frame rates it skips them (OTIO's limit, not the file's).
void EditorialInterchange::check_edl_locators(const std::string& text,
                                              const testing::ReadTrack& video) {
    const std::regex locator(
        R"(\* LOC: (\d\d:\d\d:\d\d[:;]\d\d) (RED|GREEN|BLUE|CYAN|MAGENTA|YELLOW|BLACK|WHITE) *)"
        R"( ([\x20-\x7E]*))");
    std::vector<std::pair<std::int64_t, std::string>> written;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("* LOC", 0) != 0) continue;
        std::smatch match;
        ASSERT_TRUE(std::regex_match(line, match, locator) && match.position(3) == 27) << line;
        EXPECT_LE(line.size(), 80u) << line;
        written.push_back({Timecode::parse(match[1].str(), rate_)->frames() - start_, match[3]});
    }
    std::vector<std::pair<std::int64_t, std::string>> expected;
    for (const auto& panel : panels_)
        if (!panel.dialogue.empty()) expected.push_back({panel.cut, to_7bit_ascii(panel.dialogue)});
    ASSERT_EQ(written.size(), expected.size()) << text;
    ASSERT_GE(expected.size(), 4u);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(written[i].first, expected[i].first) << written[i].second;
        std::string shown = written[i].second;
        if (shown.size() > 3 && shown.ends_with("...")) shown.resize(shown.size() - 3);
        EXPECT_TRUE(expected[i].second.starts_with(shown))
            << "'" << written[i].second << "' for '" << expected[i].second << "'";
    }
    std::vector<std::pair<std::int64_t, std::string>> read;  // OTIO: markers of the panels
    for (const auto& item : video.items)
        for (const auto& [at, name] : item.markers) {
            EXPECT_LE(item.record_in, at) << item.name << ": the marker falls in its event";
            EXPECT_LT(at, item.record_in + item.duration) << item.name;
            read.push_back({at - start_, name});
        }
    if (drop_frame())
        EXPECT_TRUE(read.empty()) << "OTIO's locator pattern takes no ';' timecode";
    else
        EXPECT_EQ(read, written);
}

// FCP 7 XML, as OTIO's fcp_xml adapter reads it: each panel on exactly its frames, its
// dialogue marker on its own cut (not the transition's start), every <file> as long as the
// clip's in/out, fades and the dip written to and from black (start-black / end-black).
void EditorialInterchange::check_xmeml() {
    const XmlDocument document = parse_xml_file(out() / "sq010.xml");
    const xmlNode* root = xmlDocGetRootElement(document.get());
    EXPECT_EQ(attribute_of(root, "version"), "5");
    const xmlNode* sequence = first_child(root, "sequence");
    EXPECT_EQ(text_of(first_child(sequence, "duration")), std::to_string(total_));
    const xmlNode* rate = first_child(sequence, "rate");
    EXPECT_EQ(text_of(first_child(rate, "timebase")), std::to_string(rate_.timecode_base()));
    EXPECT_EQ(text_of(first_child(rate, "ntsc")), rate_.is_ntsc() ? "TRUE" : "FALSE");
    const xmlNode* timecode = first_child(sequence, "timecode");
    EXPECT_EQ(text_of(first_child(timecode, "frame")), std::to_string(start_));
    EXPECT_EQ(text_of(first_child(timecode, "string")), GetParam().start_timecode);
    const auto read = testing::read_xmeml_like_otio(out() / "sq010.xml");
    EXPECT_TRUE(read.errors.empty()) << errors_of(read);
    const auto& items = read.tracks.at(0).items;
    std::vector<std::string> transitions;
    std::size_t panel = 0;
    for (const auto& item : items) {
        if (item.kind == ReadItem::Kind::Transition) {
            transitions.push_back(item.alignment + " " + std::to_string(item.record_in) + "+" +
                                  std::to_string(item.in_offset + item.out_offset));
            continue;
        }
        ASSERT_EQ(item.kind, ReadItem::Kind::Clip) << describe(items);
        ASSERT_LT(panel, panels_.size());
        const Panel& expected = panels_[panel++];
        EXPECT_EQ(item.name, expected.name);
        EXPECT_EQ(item.record_in, expected.cut) << item.name;
        EXPECT_EQ(item.duration, expected.frames) << item.name;
        if (expected.dialogue.empty()) {
            EXPECT_TRUE(item.markers.empty()) << item.name;
        } else {
            ASSERT_EQ(item.markers.size(), 1u) << item.name;
            EXPECT_EQ(item.markers[0].first, expected.cut)
                << item.name << ": the marker is on the panel's cut";
            EXPECT_EQ(item.markers[0].second, expected.dialogue);
        }
    }
    EXPECT_EQ(panel, panels_.size());
    const auto& p = panels_;
    auto at = [](std::int64_t first, std::int64_t frames) {
        return std::to_string(first) + "+" + std::to_string(frames);
    };
    EXPECT_EQ(transitions, (std::vector<std::string>{
                               "start-black " + at(0, t_.fade_in),
                               "center " + at(p[1].cut - t_.dissolve_half, 2 * t_.dissolve_half),
                               "end-black " + at(p[3].cut - t_.dip_half, t_.dip_half),
                               "start-black " + at(p[3].cut, t_.dip_half),
                               "end-black " + at(p[4].end() - t_.fade_out, t_.fade_out),
                               "end-black " + at(p[5].end() - t_.end_fade_out, t_.end_fade_out)}))
        << describe(items);
}

// OTIO: clips butt on the track at their cuts (transitions take no time); a fade has a
// Gap on its black side (a dip is a fade out, a gap and a fade in), so no transition blends
// two panels but the dissolve; markers sit on each panel's cut.
void EditorialInterchange::check_otio() {
    const json cut = json::parse(testing::read_file(out() / "sq010.otio"));
    EXPECT_EQ(cut["name"], std::string(kShowName) + " sq010") << "OTIO keeps the UTF-8 name";
    const auto& children = cut["tracks"]["children"][0]["children"];
    std::int64_t at = 0;
    std::size_t panel = 0;
    std::vector<std::string> shape;  // "clip", "gap", "Fade In", ...
    for (std::size_t k = 0; k < children.size(); ++k) {
        const auto& item = children[k];
        const std::string schema = item["OTIO_SCHEMA"];
        if (schema == "Transition.1") {
            shape.push_back(item["name"].get<std::string>() + " " +
                            std::to_string(item["in_offset"]["value"].get<int>()) + "/" +
                            std::to_string(item["out_offset"]["value"].get<int>()));
            EXPECT_EQ(item["transition_type"], "SMPTE_Dissolve");
            continue;
        }
        const auto duration =
            static_cast<std::int64_t>(item["source_range"]["duration"]["value"].get<double>());
        if (schema == "Gap.1") {
            shape.push_back("gap " + std::to_string(duration));
            at += duration;
            continue;
        }
        shape.push_back("clip");
        ASSERT_LT(panel, panels_.size());
        const Panel& expected = panels_[panel++];
        EXPECT_EQ(item["name"], expected.name);
        EXPECT_EQ(at, expected.cut) << expected.name;
        EXPECT_EQ(duration, expected.frames) << expected.name;
        const auto source_start =
            static_cast<std::int64_t>(item["source_range"]["start_time"]["value"].get<double>());
        const auto& markers = item["markers"];
        ASSERT_EQ(markers.size(), expected.dialogue.empty() ? 0u : 1u) << expected.name;
        if (!markers.empty()) {
            const auto marker = static_cast<std::int64_t>(
                markers[0]["marked_range"]["start_time"]["value"].get<double>());
            EXPECT_EQ(at + marker - source_start, expected.cut) << expected.name;
            EXPECT_EQ(markers[0]["name"], expected.dialogue);
        }
        at += duration;
    }
    EXPECT_EQ(at, total_);
    EXPECT_EQ(cut["global_start_time"]["value"].get<double>(), start_);
    // The movie's own timeline: one clip of it, the cut's frames of its media (after the slate).
    const json movie = json::parse(testing::read_file(out() / "sq010_movie.otio"));
    const auto& clip = movie["tracks"]["children"][0]["children"][0];
    EXPECT_EQ(clip["media_references"]["DEFAULT_MEDIA"]["target_url"], "sq010_prores.mov");
    EXPECT_EQ(clip["source_range"]["duration"]["value"].get<double>(), total_);
    EXPECT_EQ(clip["source_range"]["start_time"]["value"].get<double>(), start_);
    const std::string fade_in = "Fade In 0/" + std::to_string(t_.fade_in);
    const std::string dissolve = "Cross Dissolve " + std::to_string(t_.dissolve_half) + "/" +
                                 std::to_string(t_.dissolve_half);
    const std::string dip_out = "Fade Out " + std::to_string(t_.dip_half) + "/0";
    const std::string dip_in = "Fade In 0/" + std::to_string(t_.dip_half);
    EXPECT_EQ(shape,
              (std::vector<std::string>{
                  "gap 0", fade_in, "clip", dissolve, "clip", "clip", dip_out, "gap 0", dip_in,
                  "clip", "clip", "Fade Out " + std::to_string(t_.fade_out) + "/0", "gap 0", "clip",
                  "Fade Out " + std::to_string(t_.end_fade_out) + "/0", "gap 0"}));
}

/// The nodes an XPath expression selects in `document`.
int xpath_count(xmlDoc* document, const char* expression) {
    xmlXPathContextPtr context = xmlXPathNewContext(document);
    xmlXPathObjectPtr result =
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression), context);
    const int count = result && result->nodesetval ? result->nodesetval->nodeNr : -1;
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(context);
    return count;
}

// FCPXML: valid against Apple's DTD; each panel an <asset-clip> of the movie's <asset>
// (no bare <video> in the spine, which OTIO's fcpx_xml adapter cannot time); read by that
// adapter's rules, the panels lie on the spine in order, a dissolve's clips overlapping it,
// their media the movie's timecode, the markers on each panel's cut, the audio on lane -1.
void EditorialInterchange::check_fcpxml() {
    const fs::path file = out() / "sq010.fcpxml";
    const std::string lint =
        testing::shell_output("xmllint --nonet --noout --dtdvalid '" STORYREEL_SHARED_DIR
                              "/schemas/fcpxml/FCPXMLv1_10.dtd' '" +
                              file.string() + "' && echo DTD_VALID");
    EXPECT_NE(lint.find("DTD_VALID"), std::string::npos) << lint;
    const XmlDocument document = parse_xml_file(file);
    xmlDoc* doc = document.get();
    EXPECT_EQ(xpath_count(doc, "//spine/video"), 0);
    EXPECT_EQ(xpath_count(doc, "/fcpxml/library/event/project/sequence/spine/asset-clip"), 6);
    EXPECT_EQ(xpath_count(doc, "//spine/asset-clip[not(@ref=/fcpxml/resources/asset/@id)]"), 0);
    EXPECT_EQ(xpath_count(doc, "/fcpxml/resources/asset[media-rep/@src]"), 1)
        << "one asset: the movie";
    check_fcpxml_spine(doc);
    const auto read = testing::read_fcpxml_like_otio(file);
    EXPECT_TRUE(read.errors.empty()) << errors_of(read);
    const std::string frame_duration =
        std::to_string(rate_.den) + "/" + std::to_string(rate_.num) + "s";  // the format's
    EXPECT_EQ(
        xpath_count(doc,
                    ("/fcpxml/resources/format[@frameDuration='" + frame_duration + "']").c_str()),
        1);
    const auto* spine = read.track("0");
    ASSERT_TRUE(spine);
    ASSERT_EQ(spine->items.size(), panels_.size()) << describe(spine->items);
    const std::int64_t before[] = {0, t_.dissolve_half, 0, 0, 0, 0};  // frames the dissolve adds
    const std::int64_t after[] = {t_.dissolve_half, 0, 0, 0, 0, 0};
    for (std::size_t i = 0; i < panels_.size(); ++i) {
        const ReadItem& item = spine->items[i];
        const Panel& expected = panels_[i];
        EXPECT_EQ(item.name, expected.name);
        // The adapter converts times to frames in floating point and truncates: at the NTSC
        // rates an exact k * 1001/30000 s may come out k - 1. Expect what it computes from
        // the exact time (tests/e2e/editorial_cut_lists_test.cpp checks the file holds that).
        const std::int64_t first = start_ + expected.cut - before[i];
        const std::string exact =
            std::to_string(first * rate_.den) + "/" + std::to_string(rate_.num) + "s";
        EXPECT_EQ(item.record_in, testing::fcpx_adapter_frames(exact, frame_duration))
            << expected.name;
        if (integer_rate()) EXPECT_EQ(item.record_in, first) << expected.name;
        if (!integer_rate()) continue;  // the adapter times durations at int(fps): 23, 29, 59
        EXPECT_EQ(item.duration, before[i] + expected.frames + after[i]) << expected.name;
        EXPECT_EQ(item.source_in, start_ + expected.cut - before[i])
            << expected.name << ": the movie's timecode";
        ASSERT_EQ(item.markers.size(), expected.dialogue.empty() ? 0u : 1u) << expected.name;
        if (!item.markers.empty()) {
            EXPECT_EQ(item.record_in + item.markers[0].first - item.source_in - start_,
                      expected.cut)
                << expected.name;
            EXPECT_EQ(item.markers[0].second, expected.dialogue);
        }
    }
    const auto* audio = read.track("-1");
    ASSERT_TRUE(audio);
    ASSERT_EQ(audio->items.size(), 1u);
    EXPECT_EQ(audio->items[0].record_in - start_, 0);
}

/// An FCPXML time ("0s", "5s", "1001/24000s") in frames at `rate`; must be whole frames.
std::int64_t fcpxml_frames(std::string text, FrameRate rate) {
    EXPECT_FALSE(text.empty());
    if (text.empty()) return -1;
    EXPECT_EQ(text.back(), 's') << text;
    text.pop_back();
    const auto slash = text.find('/');
    const std::int64_t a = std::stoll(text.substr(0, slash));
    const std::int64_t b = slash == std::string::npos ? 1 : std::stoll(text.substr(slash + 1));
    EXPECT_EQ((a * rate.num) % (b * rate.den), 0) << text << " is not on a frame";
    return a * rate.num / (b * rate.den);
}

// FCPXML, by its own rules with exact rational times, at every rate (OTIO's adapter above
// rounds at the NTSC rates): the sequence starts at the show's timecode and lasts the cut;
// the spine is sequential (each element starts where the one before ends, less a
// transition between them, which overlaps both); each panel's asset-clip shows the
// movie's media at the record frame it is on (start - offset = tcStart) and covers the
// panel's frames, passing them only under a Cross Dissolve and by the dissolve's frames on
// the other side of the cut; its marker is on its own cut (the movie's timecode there) for
// its hold; fades and the dip are dissolves to and from a black gap.
void EditorialInterchange::check_fcpxml_spine(xmlDoc* document) {
    const xmlNode* sequence = first_child(
        first_child(first_child(first_child(xmlDocGetRootElement(document), "library"), "event"),
                    "project"),
        "sequence");
    EXPECT_EQ(fcpxml_frames(attribute_of(sequence, "duration"), rate_), total_);
    EXPECT_EQ(fcpxml_frames(attribute_of(sequence, "tcStart"), rate_), start_);
    EXPECT_EQ(attribute_of(sequence, "tcFormat"), drop_frame() ? "DF" : "NDF");
    const auto items = child_elements(first_child(sequence, "spine"));
    auto tag = [](const xmlNode* node) {
        return std::string(reinterpret_cast<const char*>(node->name));
    };
    auto at = [&](const xmlNode* node, const char* name) {
        return fcpxml_frames(attribute_of(node, name), rate_);
    };
    std::vector<std::string> transitions, gaps;
    std::size_t panel = 0;
    std::int64_t end = 0;  // record frame where the elements so far end
    for (std::size_t k = 0; k < items.size(); ++k) {
        const xmlNode* item = items[k];
        const std::int64_t offset = at(item, "offset") - start_, duration = at(item, "duration");
        const xmlNode* before = k > 0 && tag(items[k - 1]) == "transition" ? items[k - 1] : nullptr;
        const xmlNode* after =
            k + 1 < items.size() && tag(items[k + 1]) == "transition" ? items[k + 1] : nullptr;
        if (tag(item) == "transition") {
            transitions.push_back(attribute_of(item, "name") + " " + std::to_string(offset) + "+" +
                                  std::to_string(duration));
            EXPECT_EQ(offset, end - duration)
                << "a transition overlaps the end of the element before";
            continue;
        }
        EXPECT_EQ(offset, end - (before ? at(before, "duration") : 0))
            << attribute_of(item, "name") << ": the spine is sequential";
        end = offset + duration;
        if (tag(item) == "gap") {
            gaps.push_back(std::to_string(offset) + "+" + std::to_string(duration));
            continue;
        }
        ASSERT_EQ(tag(item), "asset-clip");
        ASSERT_LT(panel, panels_.size());
        const Panel& p = panels_[panel++];
        EXPECT_EQ(attribute_of(item, "name"), p.name);
        EXPECT_EQ(at(item, "start") - offset, start_)
            << p.name << ": the movie's media on its frame";
        const bool dissolve_in = before && attribute_of(before, "name") == "Cross Dissolve";
        const bool dissolve_out = after && attribute_of(after, "name") == "Cross Dissolve";
        EXPECT_EQ(offset, p.cut - (dissolve_in ? t_.dissolve_half : 0)) << p.name;
        EXPECT_EQ(end, p.end() + (dissolve_out ? t_.dissolve_half : 0)) << p.name;
        const auto markers = child_elements(item, "marker");
        ASSERT_EQ(markers.size(), p.dialogue.empty() ? 0u : 1u) << p.name;
        if (markers.empty()) continue;
        EXPECT_EQ(at(markers[0], "start"), start_ + p.cut) << p.name << ": the marker on its cut";
        EXPECT_EQ(at(markers[0], "duration"), p.frames) << p.name;
        EXPECT_EQ(attribute_of(markers[0], "value"), p.dialogue);
    }
    EXPECT_EQ(panel, panels_.size());
    EXPECT_EQ(end, total_);
    const auto& p = panels_;
    auto range = [](std::int64_t first, std::int64_t frames) {
        return std::to_string(first) + "+" + std::to_string(frames);
    };
    EXPECT_EQ(transitions,
              (std::vector<std::string>{
                  "Fade In " + range(0, t_.fade_in),
                  "Cross Dissolve " + range(p[1].cut - t_.dissolve_half, 2 * t_.dissolve_half),
                  "Fade Out " + range(p[3].cut - t_.dip_half, t_.dip_half),
                  "Fade In " + range(p[3].cut, t_.dip_half),
                  "Fade Out " + range(p[4].end() - t_.fade_out, t_.fade_out),
                  "Fade Out " + range(p[5].end() - t_.end_fade_out, t_.end_fade_out)}));
    EXPECT_EQ(gaps, (std::vector<std::string>{
                        range(0, t_.fade_in), range(p[3].cut - t_.dip_half, 2 * t_.dip_half),
                        range(p[4].end() - t_.fade_out, t_.fade_out),
                        range(p[5].end() - t_.end_fade_out, t_.end_fade_out)}));
}

// storyreel's own readers (those `cut:` uses) read the EDL and the OTIO list back to the
// cut build.json records, at every rate, through every transition.
void EditorialInterchange::check_own_readers() {
    for (const char* list : {"sq010.edl", "sq010.otio"}) {
        Diagnostics diagnostics;
        const auto cut = read_editorial_cut(out() / list, rate_, diagnostics);
        ASSERT_TRUE(cut) << list << ": " << diagnostics.to_string();
        EXPECT_TRUE(diagnostics.empty()) << list << ": " << diagnostics.to_string();
        std::vector<std::string> found, expected;
        for (const auto& event : cut->events)
            found.push_back(event.names.front() + "@" + std::to_string(event.record_in - start_) +
                            "+" + std::to_string(event.frames()));
        for (const auto& panel : panels_)
            expected.push_back(panel.name + "@" + std::to_string(panel.cut) + "+" +
                               std::to_string(panel.frames));
        EXPECT_EQ(found, expected) << list;
    }
}

// The movie: ProRes in MOV says it is progressive (a `fiel` atom, read by ffprobe as the
// field order), and the fade from black starts black, on the first frame after the slate.
void EditorialInterchange::check_movie() {
    const fs::path movie = out() / "sq010_prores.mov";
    const std::string probe = testing::shell_output(
        "ffprobe -v error -select_streams v:0 -show_entries stream=field_order "
        "-of default=nw=1 '" +
        movie.string() + "'");
    EXPECT_NE(probe.find("field_order=progressive"), std::string::npos) << probe;
    const std::string counted = testing::shell_output(
        "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
        "stream=nb_read_frames:stream_tags=timecode -of default=nw=1 '" +
        movie.string() + "'");
    EXPECT_NE(counted.find("nb_read_frames=" + std::to_string(kSlateFrames + total_)),
              std::string::npos)
        << counted;
    const Timecode media_start(start_ - kSlateFrames, rate_, drop_frame());
    EXPECT_NE(counted.find("timecode=" + media_start.to_string()), std::string::npos)
        << counted << ": the slate's first frame";
    const std::string luma =
        testing::shell_output("ffmpeg -v error -i '" + movie.string() + "' -vf 'select=eq(n\\," +
                              std::to_string(kSlateFrames) +
                              ")' -vframes 1 -f rawvideo -pix_fmt gray - | od -An -tu1 -v");
    std::istringstream values(luma);
    int brightest = -1, count = 0;
    for (int value; values >> value; ++count) brightest = std::max(brightest, value);
    EXPECT_EQ(count, 320 * 180) << luma.substr(0, 200);
    EXPECT_LE(brightest, 18)
        << "the fade in's first frame is black (video range 16, ProRes rounding)";
}

TEST_P(EditorialInterchange, EveryReaderSeesTheCutBuildJsonRecords) {
    for (auto check :
         {&EditorialInterchange::check_build_report, &EditorialInterchange::check_edl,
          &EditorialInterchange::check_xmeml, &EditorialInterchange::check_otio,
          &EditorialInterchange::check_fcpxml, &EditorialInterchange::check_own_readers,
          &EditorialInterchange::check_movie}) {
        (this->*check)();
        if (HasFatalFailure()) return;
    }
}

INSTANTIATE_TEST_SUITE_P(Rates, EditorialInterchange,
                         ::testing::Values(RateCase{"23.976", "00:59:59:00"},
                                           RateCase{"24", "01:00:00:00"},
                                           RateCase{"25", "10:00:00:00"},
                                           RateCase{"29.97", "00:00:59;20"},
                                           RateCase{"59.94", "00:09:59;40"}),
                         [](const auto& info) {
                             std::string name = info.param.rate;
                             for (char& c : name)
                                 if (c == '.') c = '_';
                             return name;
                         });

}  // namespace
}  // namespace storyreel
