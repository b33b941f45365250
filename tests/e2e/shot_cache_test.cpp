// The shot segment cache, end to end: a rebuild reuses what did not change, rebuilds
// exactly what did (and says why), never uses a damaged entry, is shared safely by builds
// running at once, and the movies assembled from cached segments decode to the cut.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "demo/demo_project.h"
#include "pipeline/block_checksum.h"
#include "pipeline/build.h"
#include "pipeline/content_hash.h"
#include "stages/builtin_stages.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::decode_video;
using testing::decoded_frame_hashes;
using testing::RgbPicture;

constexpr const char* kProresH264Pipeline = R"(pipeline: 1
name: test-cache
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}
  - {name: h264, type: encode, needs: [conform], params: {codec: h264, crf: 18, preset: veryfast}}
)";

std::string prores_pipeline(const std::string& held, const std::string& encoder = "prores_aw") {
    return std::string(R"(pipeline: 1
name: test-held
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy, held_frames: )") +
           held + ", encoder: " + encoder + "}}\n";
}

using testing::read_file;

std::string run_command(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return "popen failed";
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    pclose(pipe);
    return output;
}

demo::DemoOptions tiny_demo() {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 3;
    options.panels_per_shot = 3;
    options.min_hold_frames = 6;
    options.max_hold_frames = 12;
    options.width = 640;
    options.height = 360;
    options.varied_formats = false;  // every board an 8-bit RGB PNG at show size
    options.with_audio = false;
    options.seed = 7;
    return options;
}

/// A demo project, a pipeline and one cache, built as often as a test likes.
struct Workspace {
    testing::TempDir dir;
    demo::DemoProject project;
    fs::path pipeline_file;
    fs::path cache_dir;

    explicit Workspace(const std::string& pipeline = kProresH264Pipeline,
                       const demo::DemoOptions& options = tiny_demo()) {
        project = demo::write_demo_project(dir.path() / "project", options);
        pipeline_file = dir.path() / "pipeline.yaml";
        std::ofstream(pipeline_file) << pipeline;
        cache_dir = dir.path() / "cache";
    }

    /// Builds into `out_name` with the workspace's cache (or `other_cache`).
    BuildResult build(const std::string& out_name, const fs::path& other_cache = {}) const {
        BuildRequest request;
        request.project = project.project_file;
        request.pipeline = pipeline_file;
        request.output_dir = dir.path() / out_name;
        request.cache_dir = other_cache.empty() ? cache_dir : other_cache;
        return run_build(request, builtin_stage_registry());
    }

    fs::path board(std::size_t panel_index) const {
        return project.project_file.parent_path() / project.panels.at(panel_index).board_file;
    }
    std::string shot_name(std::size_t panel_index) const {
        const auto& panel = project.panels.at(panel_index);
        return panel.sequence + "/" + panel.shot;
    }
};

std::map<std::string, fs::path> movies_of(const BuildResult& result) {
    std::map<std::string, fs::path> movies;
    for (const auto& output : result.outputs) movies[output.stage] = output.path;
    return movies;
}

std::string join(const std::vector<std::string>& reasons) {
    std::string text;
    for (const auto& reason : reasons) text += (text.empty() ? "" : "; ") + reason;
    return text;
}

bool has_reason_containing(const ShotDecision& decision, const std::string& needle) {
    for (const auto& reason : decision.reasons)
        if (reason.find(needle) != std::string::npos) return true;
    return false;
}

std::int64_t count_frames(const fs::path& movie) {
    return decode_video(
        movie, [](std::int64_t) { return false; }, [](std::int64_t, const RgbPicture&) {});
}

/// Mean colour (0..255) at the centre of each wanted frame.
std::map<std::int64_t, std::array<double, 3>> centre_colours(const fs::path& movie,
                                                             std::int64_t first,
                                                             std::int64_t count) {
    std::map<std::int64_t, std::array<double, 3>> colours;
    decode_video(
        movie, [&](std::int64_t i) { return i >= first && i < first + count; },
        [&](std::int64_t i, const RgbPicture& picture) {
            colours[i] = picture.mean_around(picture.width / 2, picture.height / 2, 4);
        });
    return colours;
}

void expect_colour_near(const std::array<double, 3>& got, const std::array<double, 3>& want,
                        double tolerance, const std::string& what) {
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], want[c], tolerance) << what << " channel " << c;
}

/// Overwrites a board with a flat fill of `rgb` (0..1) at the same size, as an 8-bit PNG.
void redraw_board(const fs::path& board, std::array<float, 3> rgb, int width, int height) {
    OIIO::ImageBuf image(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT8));
    const float values[3] = {rgb[0], rgb[1], rgb[2]};
    ASSERT_TRUE(OIIO::ImageBufAlgo::fill(image, values));
    ASSERT_TRUE(image.write(board.string())) << image.geterror();
}

/// Replaces the hold of the panel whose board is `board_file` in project.yaml.
void retime_panel(const fs::path& project_file, const std::string& board_file, long long frames) {
    std::string text = read_file(project_file);
    const auto board_at = text.find("board: " + board_file);
    ASSERT_NE(board_at, std::string::npos) << board_file;
    const auto frames_at = text.find("frames: ", board_at);
    ASSERT_NE(frames_at, std::string::npos);
    const auto line_end = text.find('\n', frames_at);
    text.replace(frames_at, line_end - frames_at, "frames: " + std::to_string(frames));
    std::ofstream(project_file, std::ios::binary | std::ios::trunc) << text;
}

// 1 -------------------------------------------------------------------------------------

TEST(ShotCache, SecondBuildReusesEveryShotAndWritesIdenticalMovies) {
    Workspace ws;
    const BuildResult first = ws.build("out1");
    ASSERT_EQ(first.shots.size(), 6u);  // 3 shots x 2 encode stages
    for (const auto& shot : first.shots)
        EXPECT_FALSE(shot.reused) << shot.stage << " " << shot.shot;
    for (const auto& output : first.outputs)  // MOV hashed while written, MP4 read back
        EXPECT_EQ(output.checksum, file_checksum_like(output.path, output.checksum)) << output.path;

    const BuildResult second = ws.build("out2");
    ASSERT_EQ(second.shots.size(), 6u);
    for (const auto& shot : second.shots) {
        EXPECT_TRUE(shot.reused) << shot.stage << " " << shot.shot << ": " << join(shot.reasons);
        EXPECT_EQ(shot.reasons, std::vector<std::string>{"in cache"})
            << shot.stage << " " << shot.shot;
    }
    const auto movies1 = movies_of(first), movies2 = movies_of(second);
    ASSERT_EQ(movies1.size(), 2u);
    ASSERT_EQ(movies2.size(), 2u);
    for (const auto& [stage, path] : movies1) {
        SCOPED_TRACE(stage);
        const std::string bytes1 = read_file(path), bytes2 = read_file(movies2.at(stage));
        EXPECT_FALSE(bytes1.empty());
        EXPECT_TRUE(bytes1 == bytes2) << "movies differ: " << path << " vs " << movies2.at(stage);
        EXPECT_EQ(count_frames(movies2.at(stage)), ws.project.total_frames);
        EXPECT_EQ(decoded_frame_hashes(path), decoded_frame_hashes(movies2.at(stage)));
    }
}

// 2 -------------------------------------------------------------------------------------

TEST(ShotCache, RedrawingOneBoardRebuildsOnlyItsShot) {
    Workspace ws;
    ws.build("out1");
    const std::size_t redrawn = 4;  // second shot, second panel
    const auto& panel = ws.project.panels[redrawn];
    const std::array<float, 3> new_colour{1.0f, 0.0f, 1.0f};  // magenta
    redraw_board(ws.board(redrawn), new_colour, 640, 360);

    const BuildResult second = ws.build("out2");
    ASSERT_EQ(second.shots.size(), 6u);
    std::map<std::string, int> rebuilt_per_stage;
    for (const auto& shot : second.shots) {
        SCOPED_TRACE(shot.stage + " " + shot.shot + ": " + join(shot.reasons));
        if (shot.shot == ws.shot_name(redrawn)) {
            EXPECT_FALSE(shot.reused);
            EXPECT_TRUE(has_reason_containing(shot, panel.panel + " image changed"));
            ++rebuilt_per_stage[shot.stage];
        } else {
            EXPECT_TRUE(shot.reused);
            EXPECT_EQ(shot.reasons, std::vector<std::string>{"in cache"});
        }
    }
    EXPECT_EQ(rebuilt_per_stage["prores"], 1);
    EXPECT_EQ(rebuilt_per_stage["h264"], 1);

    for (const auto& [stage, movie] : movies_of(second)) {
        SCOPED_TRACE(stage);
        EXPECT_EQ(count_frames(movie), ws.project.total_frames);
        const auto colours = centre_colours(movie, panel.start_frame, panel.frames);
        ASSERT_EQ(static_cast<long long>(colours.size()), panel.frames);
        for (const auto& [index, colour] : colours)
            expect_colour_near(colour, {255, 0, 255}, 12, "frame " + std::to_string(index));
        // A neighbouring panel still shows its own drawing.
        const auto& before = ws.project.panels[redrawn - 1];
        const auto old = centre_colours(movie, before.start_frame, 1);
        ASSERT_EQ(old.size(), 1u);
        const auto hint = before.label_colour_hint;
        expect_colour_near(old.begin()->second, {hint[0] * 255.0, hint[1] * 255.0, hint[2] * 255.0},
                           12, "previous panel");
    }
}

TEST(ShotCache, RedrawReadsOnlyTheRedrawnBoardAndWritesTheFreshBuildsBytes) {
    for (const std::string codec : {"prores", "dnxhr"}) {
        SCOPED_TRACE(codec);
        const std::string profile = codec == "prores" ? "proxy" : "lb";
        Workspace ws(R"(pipeline: 1
name: test-redraw
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: enc, type: encode, needs: [conform], params: {codec: )" +
                     codec + ", profile: " + profile + "}}\n");
        const BuildResult first = ws.build("out1");
        EXPECT_EQ(first.panels_read, ws.project.panels.size());
        const std::size_t redrawn = 4;  // second shot, second panel
        redraw_board(ws.board(redrawn), {0.0f, 1.0f, 1.0f}, 640, 360);

        // The rebuilt shot takes its other drawings' packets from its previous segment.
        const BuildResult rebuilt = ws.build("out2");
        EXPECT_EQ(rebuilt.panels_read, 1u);
        const BuildResult fresh = ws.build("out3", ws.dir.path() / "fresh-cache");
        EXPECT_EQ(fresh.panels_read, ws.project.panels.size());
        ASSERT_EQ(rebuilt.outputs.size(), fresh.outputs.size());
        for (std::size_t i = 0; i < rebuilt.outputs.size(); ++i) {
            SCOPED_TRACE(rebuilt.outputs[i].path.string());
            EXPECT_EQ(rebuilt.outputs[i].path.filename(), fresh.outputs[i].path.filename());
            EXPECT_TRUE(read_file(rebuilt.outputs[i].path) == read_file(fresh.outputs[i].path));
        }
    }
}

// 3 -------------------------------------------------------------------------------------

TEST(ShotCache, RetimingAPanelRebuildsItsShotWithTheHoldChange) {
    Workspace ws;
    ws.build("out1");
    // First shot: the later shots are reused from the cache but move in the cut.
    const std::size_t retimed = 1;
    const auto& panel = ws.project.panels[retimed];
    const long long new_hold = panel.frames + 5;
    retime_panel(ws.project.project_file, panel.board_file, new_hold);

    const BuildResult second = ws.build("out2");
    ASSERT_EQ(second.shots.size(), 6u);
    const std::string expected = panel.panel + " hold " + std::to_string(panel.frames) + " -> " +
                                 std::to_string(new_hold) + " frames";
    for (const auto& shot : second.shots) {
        SCOPED_TRACE(shot.stage + " " + shot.shot + ": " + join(shot.reasons));
        if (shot.shot == ws.shot_name(retimed)) {
            EXPECT_FALSE(shot.reused);
            EXPECT_EQ(shot.reasons, std::vector<std::string>{expected});
        } else {
            EXPECT_TRUE(shot.reused);
        }
    }
    // Where every panel sits in the new cut.
    std::vector<std::pair<long long, long long>> layout;  // start, frames
    long long start = 0;
    for (std::size_t i = 0; i < ws.project.panels.size(); ++i) {
        const long long frames = i == retimed ? new_hold : ws.project.panels[i].frames;
        layout.emplace_back(start, frames);
        start += frames;
    }
    const long long total = ws.project.total_frames + 5;
    ASSERT_EQ(start, total);
    for (const auto& output : second.outputs) {
        SCOPED_TRACE(output.stage);
        EXPECT_EQ(output.frame_count, total);
        std::map<std::int64_t, std::array<double, 3>> colours;
        const auto decoded = decode_video(
            output.path, [](std::int64_t) { return true; },
            [&](std::int64_t i, const RgbPicture& picture) {
                colours[i] = picture.mean_around(picture.width / 2, picture.height / 2, 4);
            });
        EXPECT_EQ(decoded, total);
        for (std::size_t i = 0; i < layout.size(); ++i) {
            const auto hint = ws.project.panels[i].label_colour_hint;
            const std::array<double, 3> want{hint[0] * 255.0, hint[1] * 255.0, hint[2] * 255.0};
            for (long long f = layout[i].first; f < layout[i].first + layout[i].second; ++f) {
                ASSERT_TRUE(colours.count(f)) << f;
                expect_colour_near(colours[f], want, 12,
                                   "panel " + std::to_string(i) + " frame " + std::to_string(f));
            }
        }
    }
}

// 4 -------------------------------------------------------------------------------------

TEST(ShotCache, TruncatedEntryIsDetectedAndRebuilt) {
    Workspace ws;
    const BuildResult first = ws.build("out1");
    const auto reference = movies_of(first);
    std::map<std::string, std::vector<std::string>> reference_frames;
    for (const auto& [stage, movie] : reference)
        reference_frames[stage] = decoded_frame_hashes(movie);

    // Truncate the prores segment of the middle shot.
    const ShotDecision* victim = nullptr;
    for (const auto& shot : first.shots)
        if (shot.stage == "prores" && shot.shot == ws.shot_name(3)) victim = &shot;
    ASSERT_NE(victim, nullptr);
    const std::string hex = victim->key.substr(victim->key.find(':') + 1);
    const fs::path segment = ws.cache_dir / "objects" / hex.substr(0, 2) / hex / "segment.mov";
    ASSERT_TRUE(fs::exists(segment)) << segment;
    const std::string original = read_file(segment);
    fs::resize_file(segment, fs::file_size(segment) / 2);

    const BuildResult second = ws.build("out2");
    int damaged = 0;
    for (const auto& shot : second.shots) {
        SCOPED_TRACE(shot.stage + " " + shot.shot + ": " + join(shot.reasons));
        if (shot.stage == "prores" && shot.shot == ws.shot_name(3)) {
            EXPECT_FALSE(shot.reused);
            EXPECT_TRUE(has_reason_containing(shot, "damaged"));
            ++damaged;
        } else {
            EXPECT_TRUE(shot.reused);
        }
    }
    EXPECT_EQ(damaged, 1);
    // The entry was rebuilt whole (encoding is deterministic: the same bytes again).
    EXPECT_TRUE(read_file(segment) == original);
    for (const auto& [stage, movie] : movies_of(second)) {
        SCOPED_TRACE(stage);
        EXPECT_EQ(count_frames(movie), ws.project.total_frames);
        EXPECT_EQ(decoded_frame_hashes(movie), reference_frames.at(stage));
    }
    // And a third build uses the repaired entry.
    const BuildResult third = ws.build("out3");
    for (const auto& shot : third.shots) EXPECT_TRUE(shot.reused) << shot.stage << " " << shot.shot;
}

// 5 -------------------------------------------------------------------------------------

void expect_reuse_decodes_like_encoding_each_frame(const std::string& encoder) {
    Workspace reuse(prores_pipeline("reuse", encoder));
    Workspace each(prores_pipeline("encode_each", encoder));
    const auto reuse_movie = movies_of(reuse.build("out")).at("prores");
    const auto each_movie = movies_of(each.build("out")).at("prores");
    const auto reuse_frames = decoded_frame_hashes(reuse_movie);
    const auto each_frames = decoded_frame_hashes(each_movie);
    EXPECT_EQ(static_cast<long long>(reuse_frames.size()), reuse.project.total_frames);
    EXPECT_EQ(reuse_frames.size(), each_frames.size());
    EXPECT_TRUE(reuse_frames == each_frames) << encoder << ": decoded pictures differ";
    const std::string counted = run_command(
        "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
        "stream=nb_read_frames -of csv=p=0 '" +
        reuse_movie.string() + "'");
    EXPECT_EQ(std::atoll(counted.c_str()), reuse.project.total_frames);
    const std::string tag = run_command(
        "ffprobe -v error -select_streams v:0 -show_entries stream=codec_tag_string "
        "-of csv=p=0 '" +
        reuse_movie.string() + "'");
    EXPECT_EQ(tag, "apco\n") << encoder << " wrote another profile than ProRes Proxy";
}

TEST(ShotCache, ProresHeldFrameReuseDecodesLikeEncodingEachFrame) {
    expect_reuse_decodes_like_encoding_each_frame("prores_aw");
}

TEST(ShotCache, ProresKsHeldFrameReuseDecodesLikeEncodingEachFrame) {
    expect_reuse_decodes_like_encoding_each_frame("prores_ks");
}

// 6 -------------------------------------------------------------------------------------

TEST(ShotCache, H264MovieDecodesCleanlyWithExactHolds) {
    Workspace ws;
    ws.build("out1");
    const BuildResult second = ws.build("out2");  // assembled entirely from cached segments
    const fs::path movie = movies_of(second).at("h264");
    EXPECT_EQ(run_command("ffmpeg -nostdin -v error -i '" + movie.string() + "' -f null - 2>&1"),
              "");

    std::vector<std::vector<std::uint8_t>> frames;
    const auto decoded = decode_video(
        movie, [](std::int64_t) { return true; },
        [&](std::int64_t, const RgbPicture& picture) { frames.push_back(picture.pixels); });
    ASSERT_EQ(decoded, ws.project.total_frames);
    ASSERT_EQ(static_cast<long long>(frames.size()), ws.project.total_frames);
    for (const auto& panel : ws.project.panels)
        for (long long i = 1; i < panel.frames; ++i)
            EXPECT_TRUE(frames[panel.start_frame + i] == frames[panel.start_frame])
                << panel.shot << "/" << panel.panel << " held frame " << i
                << " differs from its first frame";
    const std::string counted = run_command(
        "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
        "stream=nb_read_frames -of csv=p=0 '" +
        movie.string() + "'");
    EXPECT_EQ(std::atoll(counted.c_str()), ws.project.total_frames);
}

// 8 -------------------------------------------------------------------------------------

TEST(ShotCache, RebuildKeepsUpToDateMoviesAndReassemblesOnlyChangedSequences) {
    demo::DemoOptions options = tiny_demo();
    options.sequences = 2;
    options.shots_per_sequence = 2;
    options.panels_per_shot = 2;
    Workspace ws(prores_pipeline("reuse"), options);
    auto movie_of = [](const BuildResult& result, const std::string& unit) {
        for (const auto& output : result.outputs)
            if (output.unit == unit) return output;
        ADD_FAILURE() << "no movie for " << unit;
        return OutputRecord{};
    };
    auto stamp = [](const fs::path& path) { return fs::last_write_time(path); };
    const BuildResult first = ws.build("out");
    const auto sq010 = movie_of(first, "sq010").path, sq020 = movie_of(first, "sq020").path;
    const auto first_sq010 = stamp(sq010), first_sq020 = stamp(sq020);

    // Nothing changed: neither movie is written again, build.json still lists both.
    const BuildResult same = ws.build("out");
    EXPECT_EQ(stamp(sq010), first_sq010);
    EXPECT_EQ(stamp(sq020), first_sq020);
    EXPECT_EQ(movie_of(same, "sq020").checksum, movie_of(first, "sq020").checksum);
    EXPECT_EQ(movie_of(same, "sq010").size_bytes, fs::file_size(sq010));

    // One board of sq010 redrawn: only sq010's movie is re-assembled.
    std::size_t redrawn = 1;
    ASSERT_EQ(ws.project.panels[redrawn].sequence, "sq010");
    redraw_board(ws.board(redrawn), {1.0f, 0.0f, 1.0f}, 640, 360);
    const BuildResult after = ws.build("out");
    EXPECT_NE(movie_of(after, "sq010").checksum, movie_of(first, "sq010").checksum);
    EXPECT_EQ(file_checksum_like(sq010, movie_of(after, "sq010").checksum),
              movie_of(after, "sq010").checksum);
    EXPECT_EQ(stamp(sq020), first_sq020);
    const auto& panel = ws.project.panels[redrawn];
    const auto colours = centre_colours(sq010, panel.start_frame, 1);
    ASSERT_EQ(colours.size(), 1u);
    expect_colour_near(colours.begin()->second, {255, 0, 255}, 12, "redrawn panel");

    // A movie changed behind storyreel's back is rebuilt, not trusted.
    std::ofstream(sq020, std::ios::binary | std::ios::app) << "x";
    const BuildResult repaired = ws.build("out");
    EXPECT_EQ(file_checksum_like(sq020, movie_of(first, "sq020").checksum),
              movie_of(first, "sq020").checksum);
    long long sq020_frames = 0;
    for (const auto& p : ws.project.panels)
        if (p.sequence == "sq020") sq020_frames += p.frames;
    EXPECT_EQ(count_frames(sq020), sq020_frames);
}

TEST(ShotCache, FreshBuildsWithSeparateCachesAreByteIdentical) {
    // Farm shards and cache sharing rely on it: the same inputs give the same bytes, whatever
    // the thread scheduling (odd board sizes exercise the resize's edges).
    demo::DemoOptions options = tiny_demo();
    options.varied_formats = true;
    Workspace ws(std::string(kProresH264Pipeline) +
                     "  - {name: dnxhr, type: encode, needs: [conform], params: {codec: dnxhr, "
                     "profile: lb}}\n"
                     "  - {name: ks, type: encode, needs: [conform], params: {codec: prores, "
                     "encoder: prores_ks}}\n",
                 options);
    const BuildResult first = ws.build("out1");
    fs::remove_all(ws.cache_dir);
    const BuildResult second = ws.build("out2");
    for (const auto& shot : second.shots) EXPECT_FALSE(shot.reused) << shot.shot;
    const auto movies1 = movies_of(first), movies2 = movies_of(second);
    ASSERT_EQ(movies1.size(), 4u);
    for (const auto& [stage, path] : movies1)
        EXPECT_TRUE(read_file(path) == read_file(movies2.at(stage))) << stage << " differs";
}

TEST(ShotCache, TwoBuildsSharingACacheAtOnceBothSucceed) {
    Workspace ws;
    BuildResult results[2];
    std::string errors[2];
    std::thread threads[2];
    for (int i = 0; i < 2; ++i)
        threads[i] = std::thread([&, i] {
            try {
                results[i] = ws.build("out" + std::to_string(i));
            } catch (const std::exception& error) {
                errors[i] = error.what();
            }
        });
    for (auto& thread : threads) thread.join();
    ASSERT_EQ(errors[0], "");
    ASSERT_EQ(errors[1], "");
    const auto movies0 = movies_of(results[0]), movies1 = movies_of(results[1]);
    ASSERT_EQ(movies0.size(), 2u);
    ASSERT_EQ(movies1.size(), 2u);
    for (const auto& [stage, path] : movies0) {
        SCOPED_TRACE(stage);
        EXPECT_TRUE(read_file(path) == read_file(movies1.at(stage)));
        EXPECT_EQ(count_frames(path), ws.project.total_frames);
        EXPECT_EQ(decoded_frame_hashes(path), decoded_frame_hashes(movies1.at(stage)));
    }
    // Nothing half-written left behind, and a later build reuses everything.
    EXPECT_TRUE(fs::is_empty(ws.cache_dir / "tmp"));
    for (const auto& shot : ws.build("out2").shots)
        EXPECT_TRUE(shot.reused) << shot.stage << " " << shot.shot << ": " << join(shot.reasons);
}

// The AAC track is encoded once and kept in the cache ------------------------------------

std::vector<fs::path> cached_artifacts(const fs::path& cache, const std::string& name) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(cache / "objects"))
        if (entry.path().filename() == name) found.push_back(entry.path());
    return found;
}

std::vector<fs::path> cached_audio_tracks(const fs::path& cache) {
    return cached_artifacts(cache, "audio.mp4");
}

std::string decoded_audio_md5(const fs::path& movie) {
    return run_command("ffmpeg -v error -i '" + movie.string() + "' -map 0:a -f s16le - | md5sum");
}

TEST(ShotCache, RedrawReusesTheCachedMixAndAacTrackAndADamagedTrackIsReencoded) {
    demo::DemoOptions options = tiny_demo();
    options.with_audio = true;
    Workspace ws(R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: h264, type: encode, needs: [conform, audio], params: {codec: h264, crf: 18}}
)",
                 options);
    const fs::path first_movie = movies_of(ws.build("out1")).at("h264");
    const std::string first_audio = decoded_audio_md5(first_movie);
    auto tracks = cached_audio_tracks(ws.cache_dir);
    ASSERT_EQ(tracks.size(), 1u);
    const fs::path track = tracks[0];
    const auto track_time = fs::last_write_time(track);
    const auto track_size = fs::file_size(track);
    const auto mixes = cached_artifacts(ws.cache_dir, "mix.f32");  // the cut's mix, kept too
    ASSERT_EQ(mixes.size(), 1u);
    const auto mix_time = fs::last_write_time(mixes[0]);

    redraw_board(ws.board(4), {1.0f, 0.0f, 1.0f}, 640, 360);
    const fs::path second_movie = movies_of(ws.build("out2")).at("h264");
    EXPECT_EQ(cached_audio_tracks(ws.cache_dir), std::vector<fs::path>{track});
    EXPECT_TRUE(fs::last_write_time(track) == track_time) << "the AAC track was encoded again";
    EXPECT_EQ(cached_artifacts(ws.cache_dir, "mix.f32"), mixes);
    EXPECT_TRUE(fs::last_write_time(mixes[0]) == mix_time) << "the sound was mixed again";
    EXPECT_EQ(decoded_audio_md5(second_movie), first_audio);
    EXPECT_EQ(run_command("ffmpeg -v error -i '" + second_movie.string() + "' -f null - 2>&1"), "");

    fs::resize_file(track, track_size / 2);  // a damaged entry is detected, not used
    redraw_board(ws.board(1), {0.0f, 1.0f, 0.0f}, 640, 360);
    const fs::path third_movie = movies_of(ws.build("out3")).at("h264");
    tracks = cached_audio_tracks(ws.cache_dir);
    ASSERT_EQ(tracks.size(), 1u);
    EXPECT_EQ(fs::file_size(tracks[0]), track_size);
    EXPECT_EQ(decoded_audio_md5(third_movie), first_audio);
}

}  // namespace
}  // namespace storyreel
