// Every documented param of every stage type moves that type's cache key, or is declared
// by the type as making no bytes and leaves it alone (pipeline/cache_key.h). The documented
// params are read from configs/README.md, so a param documented there without an entry in
// the table below fails this test instead of being forgotten by the cache.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "pipeline/pipeline_spec.h"
#include "pipeline/stage_registry.h"
#include "stages/builtin_stages.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// One documented param: params it validates with, and another value for it.
struct Alternative {
    std::string type;
    std::string param;  ///< as documented; nested params dotted (`pdf.dpi`)
    std::string with;   ///< the stage's params (flow YAML), the param among them
    std::string other;  ///< the param's other value (YAML)
};

const std::vector<Alternative>& alternatives() {
    static const std::vector<Alternative> table = {
        {"ingest", "linear_to", "{linear_to: sRGB}", "Rec709"},
        {"conform", "fit", "{fit: letterbox}", "fill"},
        {"conform", "filter", "{filter: lanczos}", "bicubic"},
        {"audio", "loudness", "{}", "{integrated_lufs: -23, true_peak_dbtp: -1}"},
        {"audio", "loudness.integrated_lufs", "{loudness: {integrated_lufs: -23}}", "-16"},
        {"audio", "loudness.true_peak_dbtp", "{loudness: {true_peak_dbtp: -1}}", "-2"},
        {"encode", "codec", "{codec: prores}", "dnxhr"},
        {"encode", "encoder", "{codec: prores, encoder: prores_aw}", "prores_ks"},
        {"encode", "profile", "{codec: prores, profile: hq}", "lt"},
        {"encode", "crf", "{codec: h264, crf: 20}", "18"},
        {"encode", "still_crf_boost", "{codec: h264, still_crf_boost: 6}", "4"},
        {"encode", "preset", "{codec: h264, preset: veryfast}", "slow"},
        {"encode", "keyframe_seconds", "{codec: h264, keyframe_seconds: 2}", "0"},
        {"encode", "container", "{codec: dnxhr, container: mov}", "mxf"},
        {"encode", "filename", "{codec: h264, filename: \"{unit}_{stage}\"}", "\"{unit}_review\""},
        {"encode", "reel", "{codec: prores, reel: A001}", "B002"},
        {"encode", "compact_above", "{codec: prores, compact_above: 25}", "50"},
        {"cut_lists", "formats", "{movie: h264, formats: [edl]}", "[otio]"},
        {"cut_lists", "movie", "{movie: h264}", "prores"},
        {"cut_lists", "filename", "{movie: h264, filename: \"{unit}\"}", "\"{unit}_lists\""},
        {"cut_lists", "edl", "{movie: h264, edl: split}", "single"},
        {"burnins", "top_left", "{top_left: \"{panel}\"}", "\"{shot}\""},
        {"burnins", "top_centre", "{top_left: x, top_centre: \"{show}\"}", "\"{sequence}\""},
        {"burnins", "top_right", "{top_left: x, top_right: \"{show}\"}", "\"{sequence}\""},
        {"burnins", "bottom_left", "{top_left: x, bottom_left: \"{show}\"}", "\"{sequence}\""},
        {"burnins", "bottom_centre", "{top_left: x, bottom_centre: \"{dialogue}\"}", "\"{notes}\""},
        {"burnins", "bottom_right", "{top_left: x, bottom_right: \"{timecode}\"}", "\"{frame}\""},
        {"burnins", "size", "{top_left: x, size: 0.035}", "0.05"},
        {"burnins", "margin", "{top_left: x, margin: 0.02}", "0.04"},
        {"burnins", "font", "{top_left: x, font: DejaVuSans}", "DejaVuSansMono"},
        {"burnins", "text_colour", "{top_left: x, text_colour: white}", "\"#ff0000\""},
        {"burnins", "box_colour", "{top_left: x, box_colour: black}", "grey"},
        {"burnins", "box_opacity", "{top_left: x, box_opacity: 0.6}", "0.3"},
        {"burnins", "date", "{top_left: \"{date}\", date: 2026-01-01}", "2026-01-02"},
        {"burnins", "artist", "{top_left: \"{artist}\", artist: ann}", "bob"},
        {"burnins", "version", "{top_left: \"{version}\", version: v001}", "v002"},
        {"burnins", "first_frame", "{top_left: \"{frame}\", first_frame: 1}", "1001"},
        {"slate", "frames", "{frames: 48}", "24"},
        {"slate", "seconds", "{seconds: 2}", "3"},
        {"slate", "fields", "{fields: [show, sequence]}", "[show]"},
        {"slate", "version", "{version: v001}", "v002"},
        {"slate", "date", "{date: 2026-01-01}", "2026-01-02"},
        {"slate", "notes", "{notes: first}", "second"},
        {"slate", "font", "{font: DejaVuSans}", "DejaVuSansMono"},
        {"slate", "size", "{size: 0.045}", "0.05"},
        {"slate", "text_colour", "{text_colour: white}", "grey"},
        {"slate", "background", "{background: [0.1, 0.1, 0.1]}", "black"},
        {"report", "thumbnail_width", "{thumbnail_width: 320}", "480"},
        {"report", "thumbnail_quality", "{thumbnail_quality: 80}", "90"},
        {"report", "movie", "{movie: auto}", "none"},
        {"report", "pdf", "{pdf: true}", "false"},
        {"report", "pdf.panels_per_page", "{pdf: {panels_per_page: 6}}", "4"},
        {"report", "pdf.paper", "{pdf: {paper: a4}}", "letter"},
        {"report", "pdf.orientation", "{pdf: {orientation: landscape}}", "portrait"},
        {"report", "pdf.dpi", "{pdf: {dpi: 200}}", "300"},
        {"waveform", "width", "{width: 1920}", "1280"},
        {"waveform", "height", "{height: 240}", "120"},
        {"publish", "root", "{root: published}", "elsewhere"},
    };
    return table;
}

/// The params configs/README.md documents per stage type: the first column of the
/// `| param | ...` tables under each `**`type`**` of its "Stage types" section.
std::map<std::string, std::set<std::string>> documented_params() {
    std::ifstream in(std::string(STORYREEL_SOURCE_DIR) + "/configs/README.md");
    std::map<std::string, std::set<std::string>> params;
    const std::regex type_line(R"(^\*\*`([a-z_]+)`\*\*)");
    const std::regex name(R"(`([a-z_.]+)`)");
    std::string line, type;
    bool in_section = false, in_table = false;
    while (std::getline(in, line)) {
        if (line.rfind("### Stage types", 0) == 0)
            in_section = true;
        else if (in_section && line.rfind("## ", 0) == 0)
            break;
        if (!in_section) continue;
        std::smatch match;
        if (std::regex_search(line, match, type_line)) type = match[1], params[type];
        if (line.rfind("| param |", 0) == 0)
            in_table = true;
        else if (line.empty() || line[0] != '|')
            in_table = false;
        if (!in_table || type.empty() || line.rfind("| param |", 0) == 0 ||
            line.rfind("|---", 0) == 0)
            continue;
        const std::string first_cell = line.substr(1, line.find('|', 1) - 1);
        for (std::sregex_iterator it(first_cell.begin(), first_cell.end(), name), end; it != end;
             ++it)
            params[type].insert((*it)[1]);
    }
    return params;
}

/// `node` with the param at `path` (dotted) set to `value`.
YAML::Node with_param(const YAML::Node& node, const std::string& path, const YAML::Node& value) {
    YAML::Node copy = YAML::Clone(node);
    YAML::Node at = copy;
    std::string rest = path;
    for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
        at.reset(at[rest.substr(0, dot)]);
        rest = rest.substr(dot + 1);
    }
    at[rest] = value;
    return copy;
}

class StageKeyParams : public ::testing::Test {
  protected:
    StageKeyParams() {
        registry_.set_library_versions(
            LibraryVersions({{"libav", "test"}, {"x264", "test"}, {"oiio", "test"}}));
        project_.file = temp_.path() / "project.yaml";
        project_.show.name = "keys";
        project_.show.start_timecode_frames = 3600 * 24;  // 01:00:00:00: room for a slate
        pipeline_.file = temp_.path() / "pipeline.yaml";
        pipeline_.stages = {{"h264", "encode", YAML::Load("{codec: h264}"), {}, {}},
                            {"prores", "encode", YAML::Load("{codec: prores}"), {}, {}}};
        environment_.output_dir = temp_.path() / "out";
        environment_.work_dir = temp_.path() / "work";
    }

    /// The key of a stage of `type` made from `params`; fails the test when they are invalid.
    std::string key_of(const std::string& type, const YAML::Node& params) {
        Diagnostics diagnostics;
        const StageParams stage_params{"under_test", params,        pipeline_.file.string(),
                                       &project_,    &environment_, &pipeline_,
                                       &plan_};
        auto stage = registry_.create(*registry_.find(type), stage_params, diagnostics);
        EXPECT_TRUE(stage && diagnostics.empty()) << type << " " << YAML::Dump(params) << "\n"
                                                  << diagnostics.to_string();
        return stage ? stage->fingerprint() : "";
    }

    testing::TempDir temp_;
    StageRegistry registry_ = builtin_stage_registry();
    Project project_;
    PipelineSpec pipeline_;
    BuildEnvironment environment_;
    CutPlan plan_;
};

TEST_F(StageKeyParams, GivenTheDocumentedParamsEachShouldHaveAnAlternativeValueInTheTable) {
    const auto documented = documented_params();
    std::set<std::string> types;
    for (const auto& name : registry_.names()) types.insert(name);
    for (const auto& [type, params] : documented)
        EXPECT_TRUE(types.count(type)) << type << " is documented, not registered";
    for (const auto& type : types) {
        ASSERT_TRUE(documented.count(type))
            << "stage type " << type << " has no section in configs/README.md";
        EXPECT_FALSE(documented.at(type).empty())
            << "no params table for " << type << " in configs/README.md";
    }
    std::set<std::pair<std::string, std::string>> in_table;
    for (const auto& row : alternatives()) in_table.insert({row.type, row.param});
    for (const auto& [type, params] : documented)
        for (const auto& param : params)
            EXPECT_TRUE(in_table.count({type, param}))
                << "configs/README.md documents " << type << " param `" << param
                << "`: add an alternative value for it to this test's table";
    for (const auto& [type, param] : in_table)
        EXPECT_TRUE(documented.count(type) && documented.at(type).count(param))
            << type << " `" << param << "` is in the table but not documented in configs/README.md";
    for (const auto& type : types)
        for (const auto& param : registry_.find(type)->key.params_outside_key)
            EXPECT_TRUE(documented.count(type) && documented.at(type).count(param))
                << type << " declares `" << param << "` outside its key, and it is not documented";
}

TEST_F(StageKeyParams,
       GivenAnotherValueOfADocumentedParamTheKeyShouldChangeUnlessDeclaredOutsideIt) {
    for (const auto& row : alternatives()) {
        SCOPED_TRACE(row.type + " " + row.param);
        const StageType* type = registry_.find(row.type);
        ASSERT_NE(type, nullptr);
        const YAML::Node base = YAML::Load(row.with);
        const YAML::Node other = with_param(base, row.param, YAML::Load(row.other));
        ASSERT_NE(YAML::Dump(base), YAML::Dump(other))
            << "the alternative is the value it replaces";
        const std::string top = row.param.substr(0, row.param.find('.'));
        const auto& outside = type->key.params_outside_key;
        const std::string before = key_of(row.type, base);
        const std::string after = key_of(row.type, other);
        if (std::find(outside.begin(), outside.end(), top) != outside.end())
            EXPECT_EQ(before, after) << "declared outside the key, yet it changes it";
        else
            EXPECT_NE(before, after) << "the key does not change: " << before;
    }
}

TEST_F(StageKeyParams, GivenALibraryADeclaredTypeUsesTheKeyShouldChangeWithItsLoadedVersion) {
    const std::string before = key_of("encode", YAML::Load("{codec: h264}"));
    registry_.set_library_versions(
        LibraryVersions({{"libav", "test"}, {"x264", "libx264.so.999"}, {"oiio", "test"}}));
    EXPECT_NE(before, key_of("encode", YAML::Load("{codec: h264}")));
    EXPECT_NE(key_of("encode", YAML::Load("{codec: h264}")).find("lib.x264=libx264.so.999"),
              std::string::npos);
}

TEST_F(StageKeyParams, GivenAFontFileChangedInPlaceTheKeysOfTheStagesDrawingWithItShouldChange) {
    const fs::path font = temp_.path() / "ShowFont.ttf";
    fs::copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", font);
    const YAML::Node burnins = YAML::Load("{top_left: x, font: " + font.string() + "}");
    const YAML::Node slate = YAML::Load("{font: " + font.string() + "}");
    const std::string burnins_before = key_of("burnins", burnins);
    const std::string slate_before = key_of("slate", slate);
    EXPECT_NE(burnins_before.find("content.font=xxh128:"), std::string::npos) << burnins_before;
    EXPECT_EQ(burnins_before, key_of("burnins", burnins)) << "the same bytes, the same key";
    {
        std::fstream file(font, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(1000);
        file.put('\x7f');  // the font's studio updated it under the same name
    }
    EXPECT_NE(burnins_before, key_of("burnins", burnins));
    EXPECT_NE(slate_before, key_of("slate", slate));
}

/// What `pkg-config --modversion PACKAGE` prints: the version Debian installed, read by a
/// tool of its own.
std::string pkg_config_version(const std::string& package) {
    std::string text;
    if (FILE* pipe = popen(("pkg-config --modversion " + package).c_str(), "r")) {
        char line[128];
        while (fgets(line, sizeof line, pipe)) text += line;
        pclose(pipe);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

TEST(LoadedLibraryVersions, GivenThisProcessCairoAndPangoShouldBeTheVersionsDebianInstalled) {
    const LibraryVersions loaded = builtin_stage_registry().library_versions();
    EXPECT_EQ(loaded.of("cairo"), pkg_config_version("cairo"));
    EXPECT_EQ(loaded.of("pango"), pkg_config_version("pango"));
}

TEST(LoadedLibraryVersions, GivenThisProcessWeShouldNameTheLibrariesItLoaded) {
    const LibraryVersions loaded = builtin_stage_registry().library_versions();
    EXPECT_NE(loaded.of("libav").find("/avcodec-"), std::string::npos) << loaded.of("libav");
    EXPECT_NE(loaded.of("oiio"), "unknown");
    // libavcodec links libx264 on the distributions storyreel builds on: loaded with it.
    EXPECT_EQ(loaded.of("x264").rfind("libx264.so.", 0), 0u) << loaded.of("x264");
    // Every library a stage type's key names is one the probe knows.
    const StageRegistry registry = builtin_stage_registry();
    for (const auto& name : registry.names())
        for (const auto& library : registry.find(name)->key.libraries)
            EXPECT_NE(loaded.of(library), "unknown") << name << " names library " << library;
}

}  // namespace
}  // namespace storyreel
