// The derived stage keys (pipeline/cache_key.h): canonical params, library versions, show
// settings, and how --explain reads two keys.

#include "pipeline/cache_key.h"

#include <gtest/gtest.h>

#include "pipeline/project.h"
#include "pipeline/shot_record.h"

namespace storyreel {
namespace {

std::string key_of(const std::string& yaml, const std::vector<std::string>& outside = {}) {
    return CacheKey("encode", 2).params(YAML::Load(yaml), outside).text();
}

TEST(CacheKey, GivenTheSameParamsWrittenDifferentlyWeShouldGetTheSameKey) {
    EXPECT_EQ(key_of("{codec: h264, crf: 18, formats: [edl, otio]}"),
              key_of("formats:\n  - edl\n  - otio\n# a comment\ncrf: \"18\"\ncodec: h264\n"));
    EXPECT_EQ(key_of("{codec: h264, crf: 18}"), "encode v2 codec=h264 crf=18");
}

TEST(CacheKey, GivenNestedMapsWeShouldWriteDottedSortedTokens) {
    EXPECT_EQ(key_of("{pdf: {dpi: 300, paper: a4}, movie: none}"),
              "encode v2 movie=none pdf.dpi=300 pdf.paper=a4");
    EXPECT_NE(key_of("{pdf: {}}"), key_of("{}"));
    EXPECT_NE(key_of("{pdf: true}"), key_of("{pdf: {}}"));
}

TEST(CacheKey, GivenValuesWithSeparatorsWeShouldQuoteThemSoNoTwoKeysCollide) {
    EXPECT_EQ(key_of("{top_left: \"{show} v1\"}"), "encode v2 top_left=\"{show} v1\"");
    EXPECT_NE(key_of("{a: \"x b=y\"}"), key_of("{a: x, b: y}"));
    EXPECT_NE(key_of("{a: \"\"}"), key_of("{a: ~}"));
    EXPECT_NE(key_of("{a: \"~\"}"), key_of("{a: ~}"));
    EXPECT_NE(key_of("{a: [x, y]}"), key_of("{a: \"x,y\"}"));
}

TEST(CacheKey, GivenAParamDeclaredOutsideTheKeyWeShouldLeaveItOut) {
    EXPECT_EQ(key_of("{codec: h264, filename: a}", {"filename"}),
              key_of("{codec: h264, filename: b}", {"filename"}));
    EXPECT_NE(key_of("{codec: h264, crf: 18}", {"filename"}),
              key_of("{codec: h264, crf: 19}", {"filename"}));
}

TEST(CacheKey, GivenADifferentLoadedLibraryVersionWeShouldGetADifferentKey) {
    const CacheKeyRecipe recipe{2, {"libav", "x264"}, {}, {}};
    const YAML::Node params = YAML::Load("{codec: h264}");
    const LibraryVersions loaded({{"libav", "5.1.6"}, {"x264", "libx264.so.164"}});
    const LibraryVersions newer_x264({{"libav", "5.1.6"}, {"x264", "libx264.so.165"}});
    const LibraryVersions newer_oiio(
        {{"libav", "5.1.6"}, {"x264", "libx264.so.164"}, {"oiio", "2.5.0"}});
    const std::string key = derive_cache_key("encode", recipe, params, nullptr, loaded);
    EXPECT_EQ(key, "encode v2 codec=h264 lib.libav=5.1.6 lib.x264=libx264.so.164");
    EXPECT_NE(key, derive_cache_key("encode", recipe, params, nullptr, newer_x264));
    // A library the type does not declare leaves its key alone.
    EXPECT_EQ(key, derive_cache_key("encode", recipe, params, nullptr, newer_oiio));
    EXPECT_NE(key,
              derive_cache_key("encode", {3, recipe.libraries, {}, {}}, params, nullptr, loaded));
}

TEST(CacheKey, GivenTheShowSettingsAStageReadsWeShouldPutThemInItsKey) {
    ShowSettings show;
    show.background = {0.5f, 0.f, 0.f};
    const CacheKeyRecipe recipe{1, {}, {}, {ShowSetting::Resolution, ShowSetting::Background}};
    const std::string key =
        derive_cache_key("conform", recipe, YAML::Node(), &show, LibraryVersions());
    EXPECT_EQ(key, "conform v1 show.background=\"0.5,0,0\" show.resolution=1920x1080");
    show.frame_rate = {25, 1};  // not read by this type
    EXPECT_EQ(key, derive_cache_key("conform", recipe, YAML::Node(), &show, LibraryVersions()));
    show.width = 1280;
    EXPECT_NE(key, derive_cache_key("conform", recipe, YAML::Node(), &show, LibraryVersions()));
}

TEST(CacheKey, GivenTwoSettingsTextsWeShouldSayWhichTokensChanged) {
    const std::string before = "encode v2 codec=h264 crf=20 rate=24/1 | ingest v1 lib.oiio=2.4.10";
    const std::string now = "encode v2 codec=h264 crf=18 preset=slow | ingest v1 lib.oiio=2.5.0";
    EXPECT_EQ(describe_settings_change(before, now),
              (std::vector<std::string>{"encode crf 20 -> 18", "encode preset added (slow)",
                                        "encode rate removed (was 24/1)",
                                        "ingest lib.oiio 2.4.10 -> 2.5.0"}));
    EXPECT_TRUE(describe_settings_change(before, before).empty());
    // Other stages upstream, or a hand-written text of an older build: no detail to give.
    EXPECT_EQ(describe_settings_change("encode v2 ok", now),
              std::vector<std::string>{"stage settings changed"});
    EXPECT_EQ(describe_settings_change(before, "encode v2 codec=h264 crf=20"),
              std::vector<std::string>{"stage settings changed"});
}

TEST(CacheKey, GivenSettingsWithLibraryVersionsThePublishedCutShouldCompareThemWithout) {
    EXPECT_EQ(
        without_library_versions("encode v2 crf=18 lib.libav=5.1.6 lib.x264=libx264.so.164 "
                                 "show.resolution=1920x1080 | conform v1 lib.oiio=2.4.7 fit=fill"),
        "encode v2 crf=18 show.resolution=1920x1080 | conform v1 fit=fill");
    EXPECT_EQ(without_library_versions("burnins v1 top_left=\"lib.x {panel}\""),
              "burnins v1 top_left=\"lib.x {panel}\"");
}

TEST(CacheKey, GivenAShotRebuiltForNewSettingsExplainShouldNameTheChange) {
    ShotIngredients previous{"encode v2 crf=20 filter=\"a b\"", {{"p1", "xxh128:1", 24, ""}}};
    ShotIngredients now{"encode v2 crf=18 filter=\"a b\"", {{"p1", "xxh128:1", 24, ""}}};
    EXPECT_EQ(explain_rebuild(previous, now),
              std::vector<std::string>{"stage settings changed: encode crf 20 -> 18"});
    now.settings = "encode v2 crf=20 filter=\"a c\"";
    EXPECT_EQ(explain_rebuild(previous, now),
              std::vector<std::string>{"stage settings changed: encode filter \"a b\" -> \"a c\""});
    previous.settings = "encode v2 codec=h264 held=skip-p v1";  // a text written by hand before
    EXPECT_EQ(explain_rebuild(previous, now), std::vector<std::string>{"stage settings changed"});
}

}  // namespace
}  // namespace storyreel
