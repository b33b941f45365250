// Listing and pulling published versions: stable names, checksums verified, nothing done
// when the editor already has the version, a damaged published file refused without
// touching the editor's copy; and a CMX3600 EDL (and an OTIO) of only the changed events.

#include <regex>

#include "editorial/editorial_cut.h"
#include "pipeline/timecode.h"
#include "tests/support/publish_test_support.h"

namespace storyreel {
namespace {

using namespace publish_test;
using testing::describe;
using testing::run_storyreel;

std::vector<std::string> pull_args(const PublishWorkspace& ws, const fs::path& to,
                                   std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"pull",  "--publish", ws.root().string(), "--sequence",
                                  "sq010", "--to",      to.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

TEST(PublishPull, PullsUnderStableNamesOnceAndAgainOnlyWhenANewVersionAppears) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path editor = ws.dir.path() / "editor";
    const auto first =
        run_storyreel(pull_args(ws, editor, {"--name", "movie={sequence}_animatic.{ext}"}));
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    const json manifest = read_json(ws.sequence_folder("sq010") / "v001" / "manifest.json");
    std::string movie_sum;
    for (const auto& output : manifest.at("outputs"))
        if (output.at("kind") == "movie") movie_sum = output.at("sha256");
    EXPECT_EQ(coreutils_sha256(editor / "sq010_animatic.mov"), movie_sum);
    EXPECT_EQ(read_text(editor / "sq010_CHANGES.txt"),
              read_text(ws.sequence_folder("sq010") / "v001" / "CHANGES.txt"));
    EXPECT_EQ(visible_entries(editor),
              (std::vector<std::string>{"ascmhl", "sq010_CHANGES.txt", "sq010_animatic.mov"}));

    // Cron runs it again: nothing copied, the file is not even rewritten.
    const auto mtime = fs::last_write_time(editor / "sq010_animatic.mov");
    const auto again =
        run_storyreel(pull_args(ws, editor, {"--name", "movie={sequence}_animatic.{ext}"}));
    ASSERT_EQ(again.exit_code, 0) << describe(again);
    EXPECT_NE(again.out.find("up to date: Demo_Show/sq010 v1 (0 of 2"), std::string::npos)
        << again.out;
    EXPECT_EQ(fs::last_write_time(editor / "sq010_animatic.mov"), mtime);
    // --since the version the editor has: nothing to do.
    const auto since = run_storyreel(pull_args(ws, editor, {"--since", "1"}));
    ASSERT_EQ(since.exit_code, 0) << describe(since);
    EXPECT_NE(since.out.find("nothing pulled"), std::string::npos) << since.out;

    // A new version: pulled, with what changed since v1 printed.
    ws.redraw(0, {0.1f, 0.2f, 0.9f});
    ASSERT_EQ(ws.publish("out2").exit_code, 0);
    const auto newer = run_storyreel(pull_args(
        ws, editor,
        {"--since", "1", "--what", "movie", "--name", "movie={sequence}_animatic.{ext}"}));
    ASSERT_EQ(newer.exit_code, 0) << describe(newer);
    EXPECT_NE(newer.out.find("Redrawn:\n  " + ws.panel_name(0)), std::string::npos) << newer.out;
    const json v2 = read_json(ws.sequence_folder("sq010") / "v002" / "manifest.json");
    for (const auto& output : v2.at("outputs"))
        if (output.at("kind") == "movie")
            EXPECT_EQ(coreutils_sha256(editor / "sq010_animatic.mov"), output.at("sha256"));
    // --link: the editor's file is the published file (same inode), checked all the same.
    const fs::path linked = ws.dir.path() / "linked";
    const auto link = run_storyreel(pull_args(ws, linked, {"--what", "movie", "--link"}));
    ASSERT_EQ(link.exit_code, 0) << describe(link);
    EXPECT_TRUE(fs::equivalent(linked / "sq010_prores.mov",
                               ws.sequence_folder("sq010") / "v002" / "sq010_prores.mov"));
    // An explicit older version can still be pulled.
    const auto old =
        run_storyreel(pull_args(ws, ws.dir.path() / "old", {"--version", "1", "--what", "movie"}));
    ASSERT_EQ(old.exit_code, 0) << describe(old);
    EXPECT_EQ(coreutils_sha256(ws.dir.path() / "old" / "sq010_prores.mov"), movie_sum);
}

TEST(PublishPull, DamagedPublishedFileFailsWithChecksumErrorAndKeepsTheEditorsCopy) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path editor = ws.dir.path() / "editor";
    ASSERT_EQ(run_storyreel(pull_args(ws, editor, {"--what", "movie"})).exit_code, 0);
    const std::string editors_copy = read_text(editor / "sq010_prores.mov");

    ws.retime(0, 20);
    ASSERT_EQ(ws.publish("out2").exit_code, 0);
    const fs::path published = ws.sequence_folder("sq010") / "v002" / "sq010_prores.mov";
    flip_byte(published, 1000);
    const auto result = run_storyreel(pull_args(ws, editor, {"--what", "movie"}));
    EXPECT_EQ(result.exit_code, 1) << describe(result);
    EXPECT_NE(result.err.find("checksum mismatch: " + published.string()), std::string::npos)
        << result.err;
    EXPECT_EQ(read_text(editor / "sq010_prores.mov"), editors_copy);
    EXPECT_EQ(visible_entries(editor), (std::vector<std::string>{"ascmhl", "sq010_prores.mov"}));
    for (const auto& entry : fs::directory_iterator(editor))
        EXPECT_EQ(entry.path().filename().string().find(".partial-"), std::string::npos)
            << entry.path();
}

// Given a version with its cut lists, the published lists should point at the version's
// movie (not the build's), a pull that renames the movie should leave every list pointing
// at the pulled movie (FCP 7 pathurl and FCPXML media-rep by absolute URL, still valid
// against the DTD; OTIO by file name beside it; the EDL's audio event by name); a pull
// without the movie keeps them on the published copy; a second pull copies nothing.
TEST(PublishPull, CutListsPointAtThePulledMovie) {
    PublishWorkspace ws(R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: prores, type: encode, needs: [conform, audio], params: {codec: prores, profile: proxy}}
  - {name: lists, type: cut_lists}
)");
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path version = fs::absolute(ws.sequence_folder("sq010") / "v001");
    expect_version_complete(version);
    const fs::path published = version / "sq010_prores.mov";
    EXPECT_NE(read_text(version / "sq010.xml")
                  .find("<pathurl>file://localhost" + published.string() + "</pathurl>"),
              std::string::npos);
    EXPECT_NE(read_text(version / "sq010.fcpxml").find("src=\"file://" + published.string() + "\""),
              std::string::npos);
    const fs::path editor = fs::absolute(ws.dir.path() / "editor");
    const auto pulled =
        run_storyreel(pull_args(ws, editor, {"--name", "movie={sequence}_animatic.{ext}"}));
    ASSERT_EQ(pulled.exit_code, 0) << describe(pulled);
    const fs::path movie = editor / "sq010_animatic.mov";
    ASSERT_TRUE(fs::exists(movie));
    EXPECT_NE(read_text(editor / "sq010.xml")
                  .find("<pathurl>file://localhost" + movie.string() + "</pathurl>"),
              std::string::npos);
    EXPECT_EQ(read_text(editor / "sq010.xml").find("/out/sq010_prores.mov"), std::string::npos);
    const std::string fcpxml = read_text(editor / "sq010.fcpxml");
    EXPECT_NE(fcpxml.find("src=\"file://" + movie.string() + "\""), std::string::npos) << fcpxml;
    FILE* lint = popen(("xmllint --nonet --noout --dtdvalid '" STORYREEL_SHARED_DIR
                        "/schemas/fcpxml/FCPXMLv1_10.dtd' '" +
                        (editor / "sq010.fcpxml").string() + "' 2>&1")
                           .c_str(),
                       "r");
    ASSERT_NE(lint, nullptr);
    EXPECT_EQ(pclose(lint), 0) << fcpxml;
    const json movie_otio = read_json(editor / "sq010_movie.otio");
    EXPECT_EQ(movie_otio["tracks"]["children"][0]["children"][0]["media_references"]
                        ["DEFAULT_MEDIA"]["target_url"],
              "sq010_animatic.mov");
    EXPECT_NE(read_text(editor / "sq010.edl").find("* FROM CLIP NAME: sq010_animatic.mov\n"),
              std::string::npos);
    const auto again =
        run_storyreel(pull_args(ws, editor, {"--name", "movie={sequence}_animatic.{ext}"}));
    ASSERT_EQ(again.exit_code, 0) << describe(again);
    EXPECT_NE(again.out.find("up to date: "), std::string::npos) << again.out;
    EXPECT_EQ(again.out.find("pulled:   "), std::string::npos) << again.out;

    const fs::path lists_only = fs::absolute(ws.dir.path() / "lists");
    ASSERT_EQ(run_storyreel(pull_args(ws, lists_only, {"--what", "edl,otio,xml"})).exit_code, 0);
    EXPECT_NE(read_text(lists_only / "sq010.xml").find("file://localhost" + published.string()),
              std::string::npos);
    EXPECT_EQ(read_json(lists_only /
                        "sq010_movie.otio")["tracks"]["children"][0]["children"][0]
                                           ["media_references"]["DEFAULT_MEDIA"]["target_url"],
              "file://" + published.string());
    // The movie pulled there later: the same version's lists are pulled again, onto it.
    ASSERT_EQ(run_storyreel(pull_args(ws, lists_only)).exit_code, 0);
    EXPECT_EQ(read_json(lists_only /
                        "sq010_movie.otio")["tracks"]["children"][0]["children"][0]
                                           ["media_references"]["DEFAULT_MEDIA"]["target_url"],
              "sq010_prores.mov");
}

TEST(PublishPull, CutsListsVersionsAndWritesAnEdlOfTheChangedEvents) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const std::size_t retimed = 1, redrawn = 3;
    ws.retime(retimed, ws.project.panels[retimed].frames + 3);
    ws.redraw(redrawn, {0.7f, 0.7f, 0.1f});
    ASSERT_EQ(ws.publish("out2").exit_code, 0);

    const auto listing =
        run_storyreel({"cuts", "--publish", ws.root().string(), "--sequence", "sq010"});
    ASSERT_EQ(listing.exit_code, 0) << describe(listing);
    EXPECT_NE(listing.out.find("Demo_Show/sq010  latest v2, 2 version(s)"), std::string::npos)
        << listing.out;
    EXPECT_NE(listing.out.find("first version"), std::string::npos) << listing.out;
    EXPECT_NE(listing.out.find("* 1 redrawn, 1 re-timed"), std::string::npos) << listing.out;
    EXPECT_EQ(listing.out.find("sq020"), std::string::npos) << listing.out;

    const fs::path edl = ws.dir.path() / "changed.edl";
    const auto written = run_storyreel({"cuts", "--publish", ws.root().string(), "--sequence",
                                        "sq010", "--changed", "--edl", edl.string()});
    ASSERT_EQ(written.exit_code, 0) << describe(written);
    const std::string text = read_text(edl);
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "TITLE: sq010 v2 CHANGED EVENTS");
    std::getline(lines, line);
    EXPECT_EQ(line, "FCM: NON-DROP FRAME");
    // CMX3600 event lines: event, reel (8), channel, transition, then four timecodes.
    const std::regex event(
        R"(^(\d{3})  (.{8}) (V    ) (C   )     (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d)$)");
    const json manifest = read_json(ws.sequence_folder("sq010") / "v002" / "manifest.json");
    std::map<std::string, json> panels;
    for (const auto& panel : manifest.at("panels")) panels[panel.at("panel")] = panel;
    std::vector<std::string> commented;
    std::smatch match;
    int events = 0;
    std::string pending_in, pending_out;
    while (std::getline(lines, line)) {
        if (std::regex_match(line, match, event)) {
            ++events;
            EXPECT_EQ(match[1].str(), (events < 10 ? "00" : "0") + std::to_string(events));
            EXPECT_EQ(match[2].str(), "sq010   ");
            pending_in = match[7];
            pending_out = match[8];
            EXPECT_EQ(match[5].str(), pending_in);  // sourced from the movie at its record time
        } else if (line.rfind("* FROM CLIP NAME: ", 0) == 0) {
            const std::string name = line.substr(18);
            commented.push_back(name);
            EXPECT_EQ(panels.at(name).at("record_in"), pending_in);
            EXPECT_EQ(panels.at(name).at("record_out"), pending_out);
        } else if (line.rfind("* COMMENT: ", 0) == 0) {
            EXPECT_NE(line.find("(SOURCE sq010_prores.mov)"), std::string::npos) << line;
            EXPECT_TRUE(line.find("RETIMED") != std::string::npos ||
                        line.find("REDRAWN") != std::string::npos)
                << line;
        } else {
            EXPECT_TRUE(line.empty()) << line;
        }
    }
    EXPECT_EQ(events, 2);
    EXPECT_EQ(commented,
              (std::vector<std::string>{ws.panel_name(retimed), ws.panel_name(redrawn)}));

    // The same events as OpenTimelineIO: clips of the movie at their record places, gaps
    // between, read back by the OTIO reader at the manifest's timecodes.
    const fs::path otio = ws.dir.path() / "changed.otio";
    const auto as_otio =
        run_storyreel({"cuts", "--publish", ws.root().string(), "--sequence", "sq010", "--changed",
                       "--otio", otio.string(), "--version", "2"});
    ASSERT_EQ(as_otio.exit_code, 0) << describe(as_otio);
    Diagnostics diagnostics;
    const auto cut = read_otio(otio, FrameRate{24, 1}, diagnostics);
    ASSERT_TRUE(cut) << diagnostics.to_string();
    ASSERT_EQ(cut->events.size(), 2u);
    for (const auto& event : cut->events) {
        const json& panel = panels.at(event.names.front());
        EXPECT_EQ(event.record_in,
                  Timecode::parse(panel.at("record_in"), FrameRate{24, 1})->frames());
        EXPECT_EQ(event.record_out,
                  Timecode::parse(panel.at("record_out"), FrameRate{24, 1})->frames());
    }
    const json document = read_json(otio);
    const auto& clip = document["tracks"]["children"][0]["children"][1];
    EXPECT_EQ(clip["media_references"]["DEFAULT_MEDIA"]["target_url"], "sq010_prores.mov");
    EXPECT_NE(clip["markers"][0]["comment"].get<std::string>().find("RETIMED"), std::string::npos);
}

}  // namespace
}  // namespace storyreel
