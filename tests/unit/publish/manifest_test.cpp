// What a published cut's fingerprint compares (publish/manifest.h).

#include "publish/manifest.h"

#include <gtest/gtest.h>

namespace storyreel {
namespace {

TEST(CutFingerprint, GivenOnlyAnotherLibraryVersionInAStageKeyTheCutShouldKeepItsFingerprint) {
    const auto manifest = [](const std::string& settings) {
        return nlohmann::json{
            {"show", "keys"},
            {"start_timecode", "01:00:00:00"},
            {"audio", nlohmann::json::array()},
            {"panels", nlohmann::json::array()},
            {"stages", {{{"name", "enc"}, {"type", "encode"}, {"settings", settings}}}}};
    };
    const std::string now =
        publish::cut_fingerprint(manifest("encode v2 crf=18 lib.x264=libx264.so.164"));
    EXPECT_EQ(now, publish::cut_fingerprint(manifest("encode v2 crf=18 lib.x264=libx264.so.165")));
    EXPECT_NE(now, publish::cut_fingerprint(manifest("encode v2 crf=20 lib.x264=libx264.so.164")));
}

}  // namespace
}  // namespace storyreel
