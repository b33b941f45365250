// The re-stated OTIO adapter rules (tests/support/interchange_readers.h) must fail where
// the adapters fail, or the interchange tests could not find what they look for: given
// the forms OTIO 0.18's adapters refuse or crash on (an EDL opening on a dissolve from BL,
// an FCPXML board as a bare <video> in the spine), they should report the adapter's error;
// given the forms OTIO's own tests read, none.

#include "tests/support/interchange_readers.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

bool mentions(const testing::ReadTimeline& read, const std::string& text) {
    for (const auto& error : read.errors)
        if (error.find(text) != std::string::npos) return true;
    return false;
}

TEST(InterchangeReaders, AnEdlOpeningOnADissolveIsRefusedLikeOtiosCmxReader) {
    // The standard CMX3600 fade from black (OTIO's own writer's docstring form).
    const std::string fade_in =
        "TITLE: fade\nFCM: NON-DROP FRAME\n\n"
        "001  BL       V     C        00:00:00:00 00:00:00:00 01:00:00:00 01:00:00:00\n"
        "001  REEL1    V     D    012 00:00:02:02 00:00:03:04 01:00:00:00 01:00:01:02\n"
        "* TO CLIP NAME: clip\n";
    const auto refused = testing::read_edl_like_otio(fade_in, FrameRate{24, 1});
    EXPECT_TRUE(mentions(refused, "Transitions can't be at the very beginning of a track"));

    // The same with a zero-length black event before it.
    const std::string led_in =
        "TITLE: fade\nFCM: NON-DROP FRAME\n\n"
        "001  BL       V     C        00:00:00:00 00:00:00:00 01:00:00:00 01:00:00:00\n"
        "002  BL       V     C        00:00:00:00 00:00:00:00 01:00:00:00 01:00:00:00\n"
        "002  REEL1    V     D    012 00:00:02:02 00:00:03:04 01:00:00:00 01:00:01:02\n"
        "* TO CLIP NAME: clip\n";
    const auto read = testing::read_edl_like_otio(led_in, FrameRate{24, 1});
    EXPECT_TRUE(read.errors.empty()) << read.errors.front();
    const auto* video = read.track("V");
    ASSERT_TRUE(video);
    ASSERT_EQ(video->items.size(), 3u);
    EXPECT_EQ(video->items[1].kind, testing::ReadItem::Kind::Transition);
    EXPECT_EQ(video->items[1].out_offset, 12);
    EXPECT_EQ(video->items[2].name, "clip");
    EXPECT_EQ(video->items[2].duration, 26);

    const std::string mismatch =
        "001  REEL1    V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:02:00\n";
    EXPECT_TRUE(
        mentions(testing::read_edl_like_otio(mismatch, FrameRate{24, 1}), "duration don't match"));
}

TEST(InterchangeReaders, AnFcpxmlBoardAsABareVideoCrashesOtiosFcpxReader) {
    testing::TempDir dir;
    const std::string head = R"(<?xml version="1.0" encoding="UTF-8"?>
<fcpxml version="1.10"><resources>
<format id="r1" frameDuration="1/24s" width="320" height="180"/>
<asset id="r2" name="b" start="0s" duration="0s" hasVideo="1" format="r1"><media-rep src="file:///b.png"/></asset>
</resources><library><event name="e"><project name="p"><sequence format="r1" duration="2s" tcStart="0s"><spine>
)";
    const std::string tail = "</spine></sequence></project></event></library></fcpxml>\n";
    std::ofstream(dir.path() / "bare.fcpxml")
        << head << R"(<video ref="r2" offset="0s" name="p1" duration="2s"/>)" << tail;
    const auto bare = testing::read_fcpxml_like_otio(dir.path() / "bare.fcpxml");
    EXPECT_TRUE(mentions(bare, "AttributeError"));

    std::ofstream(dir.path() / "clip.fcpxml")
        << head << R"(<asset-clip ref="r2" offset="0s" name="p1" duration="2s"/>)" << tail;
    const auto read = testing::read_fcpxml_like_otio(dir.path() / "clip.fcpxml");
    EXPECT_TRUE(read.errors.empty());
    ASSERT_TRUE(read.track("0"));
    EXPECT_EQ(read.track("0")->items.at(0).duration, 48);
    EXPECT_EQ(testing::fcpx_adapter_frames("3601/24s", "1/24s"), 3601);
}

}  // namespace
}  // namespace storyreel
