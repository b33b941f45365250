// ASC Media Hash Lists: a published version carries one generation and its chain; each
// pull that delivers files appends one to the editor's folder. Checked with tools storyreel
// did not write: xmllint against the ASC MHL v2.0 schemas (tests/data/ascmhl), `xxhsum -H2`
// for every file hash, and a C4 ID computed by Python's own big integers from `sha512sum`.

#include <regex>

#include "publish/ascmhl.h"
#include "publish/c4_id.h"
#include "tests/support/publish_test_support.h"

namespace storyreel {
namespace {

using namespace publish_test;
using testing::describe;
using testing::run_program;
using testing::run_storyreel;

const fs::path kSchemas = fs::path(STORYREEL_SOURCE_DIR) / "tests" / "data" / "ascmhl";

/// `xmllint --schema` of a file; "" when valid, else what xmllint said.
std::string schema_problems(const fs::path& file, const std::string& schema) {
    const auto result = run_program(
        {"xmllint", "--noout", "--nonet", "--schema", (kSchemas / schema).string(), file.string()});
    return result.exit_code == 0 ? "" : describe(result);
}

/// `xxhsum -H2 FILE` (the xxHash project's own command): XXH128, 32 hex digits.
std::string xxhsum_128(const fs::path& file) {
    const auto result = run_program({"xxhsum", "-H2", file.string()});
    return result.exit_code == 0 ? result.out.substr(0, 32) : describe(result);
}

/// The C4 ID of a file, from `sha512sum` and Python's arbitrary-precision integers.
std::string independent_c4(const fs::path& file) {
    const auto result = run_program(
        {"python3", "-c",
         "import sys,subprocess\n"
         "h=subprocess.run(['sha512sum',sys.argv[1]],capture_output=True,text=True,check=True)."
         "stdout.split()[0]\n"
         "v=int(h,16);a='123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';s=''\n"
         "while v: s=a[v%58]+s; v//=58\n"
         "print('c4'+s.rjust(88,'1'))\n",
         file.string()});
    return result.exit_code == 0 ? result.out.substr(0, 90) : describe(result);
}

/// Every file of a folder except its ascmhl/ history and hidden files, relative, sorted.
std::vector<std::string> listed_files(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& path : testing::list_files_recursive(folder)) {
        const std::string name = path.generic_string();
        if (name.rfind("ascmhl", 0) == 0 || name[0] == '.' || fs::is_directory(folder / path))
            continue;
        names.push_back(name);
    }
    return names;
}

/// Checks a folder's history with the schemas, the chain's C4 IDs and every hash with
/// xxhsum; returns its generations.
std::vector<publish::MhlGeneration> expect_valid_history(const fs::path& folder) {
    const fs::path mhl = folder / "ascmhl";
    EXPECT_EQ(schema_problems(mhl / "ascmhl_chain.xml", "ASCMHLDirectory.xsd"), "");
    const auto generations = publish::read_mhl_history(folder);
    for (const auto& generation : generations) {
        EXPECT_TRUE(std::regex_match(
            generation.file, std::regex(R"(\d{4}_[A-Za-z0-9._-]+_\d{4}-\d\d-\d\d_\d{6}Z\.mhl)")))
            << generation.file;
        EXPECT_EQ(schema_problems(mhl / generation.file, "ASCMHL.xsd"), "");
        EXPECT_EQ(generation.c4, independent_c4(mhl / generation.file)) << generation.file;
    }
    return generations;
}

TEST(PublishAscMhl, C4IdsMatchTheSt2114Encoding) {
    // The C4 ID of no bytes, as published with the C4 specification.
    EXPECT_EQ(publish::c4_id_of(""),
              "c459dsjfscH38cYeXXYogktxf4Cd9ibshE3BHUo6a58hBXmRQdZrAkZzsWcbWtDg5oQstpDuni4Hirj75GEm"
              "Tc1sFT");
    testing::TempDir dir;
    for (const std::string& text :
         std::vector<std::string>{"foo", "storyreel\n", std::string(100000, 'x')}) {
        std::ofstream(dir.path() / "bytes", std::ios::binary | std::ios::trunc) << text;
        EXPECT_EQ(publish::c4_id_of(text), independent_c4(dir.path() / "bytes"))
            << text.substr(0, 12);
        EXPECT_EQ(publish::c4_id_of(text).size(), 90u);
    }
}

// Given a published version, its ascmhl/ folder should list every file of the version with
// the xxh128 xxhsum computes, valid against the ASC MHL schemas, and verify clean.
TEST(PublishAscMhl, PublishedVersionCarriesOneGenerationListingEveryFile) {
    PublishWorkspace ws;
    const auto published = ws.publish();
    ASSERT_EQ(published.exit_code, 0) << describe(published);
    const fs::path version = ws.sequence_folder("sq010") / "v001";
    const auto generations = expect_valid_history(version);
    ASSERT_EQ(generations.size(), 1u);
    EXPECT_EQ(generations[0].number, 1);
    EXPECT_NE(generations[0].file.find("_v001_"), std::string::npos) << generations[0].file;
    const std::string text = read_text(version / "ascmhl" / generations[0].file);
    EXPECT_NE(text.find("<process>in-place</process>"), std::string::npos) << text;
    EXPECT_NE(text.find("<tool version="), std::string::npos) << text;
    std::vector<std::string> hashed;
    std::regex entry(
        R"re(<path size="(\d+)"[^>]*>([^<]+)</path>\s*<xxh128 action="original"[^>]*>([0-9a-f]{32})</xxh128>)re");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), entry);
         it != std::sregex_iterator(); ++it) {
        const std::string path = (*it)[2];
        hashed.push_back(path);
        EXPECT_EQ((*it)[3].str(), xxhsum_128(version / path)) << path;
        EXPECT_EQ(std::stoull((*it)[1].str()), fs::file_size(version / path)) << path;
    }
    std::sort(hashed.begin(), hashed.end());
    EXPECT_EQ(hashed, listed_files(version));
    EXPECT_NE(std::find(hashed.begin(), hashed.end(), "sq010_prores.mov"), hashed.end());
    EXPECT_NE(std::find(hashed.begin(), hashed.end(), "manifest.json"), hashed.end());
    EXPECT_EQ(
        fs::status(version / "ascmhl" / "ascmhl_chain.xml").permissions() & fs::perms::owner_write,
        fs::perms::none);
    const auto verified = run_storyreel({"checksum", "--verify", version.string()});
    EXPECT_EQ(verified.exit_code, 0) << describe(verified);
}

// Given two pulls of two versions into one editor folder, each should append a generation
// ("transfer") listing what it delivered; a byte flipped in a delivered movie should then
// be reported by `checksum --verify` naming the file, and a changed generation file too.
TEST(PublishAscMhl, EachPullAppendsAGenerationAndVerificationFindsAFlippedByte) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path editor = ws.dir.path() / "editor";
    const std::vector<std::string> pull{"pull",          "--publish", ws.root().string(),
                                        "--sequence",    "sq010",     "--to",
                                        editor.string(), "--what",    "movie,changes"};
    const auto first = run_storyreel(pull);
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    ASSERT_EQ(expect_valid_history(editor).size(), 1u);
    // Nothing new to deliver: no generation.
    ASSERT_EQ(run_storyreel(pull).exit_code, 0);
    ASSERT_EQ(publish::read_mhl_history(editor).size(), 1u);

    ws.redraw(0, {0.9f, 0.1f, 0.1f});
    ASSERT_EQ(ws.publish("out2").exit_code, 0);
    const auto second = run_storyreel(pull);
    ASSERT_EQ(second.exit_code, 0) << describe(second);
    const auto generations = expect_valid_history(editor);
    ASSERT_EQ(generations.size(), 2u);
    EXPECT_EQ(generations[1].number, 2);
    const std::string text = read_text(editor / "ascmhl" / generations[1].file);
    EXPECT_NE(text.find("<process>transfer</process>"), std::string::npos) << text;
    EXPECT_NE(text.find(xxhsum_128(editor / "sq010_prores.mov")), std::string::npos) << text;
    const auto clean = run_storyreel({"checksum", "--verify", editor.string()});
    EXPECT_EQ(clean.exit_code, 0) << describe(clean);
    EXPECT_NE(clean.out.find("2 file(s) checked against 2 ASC MHL generation(s)"),
              std::string::npos)
        << clean.out;

    flip_byte(editor / "sq010_prores.mov", 2000);
    const auto flipped = run_storyreel({"checksum", "--verify", editor.string()});
    EXPECT_EQ(flipped.exit_code, 1) << describe(flipped);
    EXPECT_NE(flipped.out.find("FAILED  " + (editor / "sq010_prores.mov").string() + ": xxh128"),
              std::string::npos)
        << flipped.out;

    const fs::path generation = editor / "ascmhl" / generations[0].file;
    fs::permissions(generation, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(generation, std::ios::app) << "<!-- edited -->\n";
    const auto edited = run_storyreel({"checksum", "--verify", editor.string()});
    EXPECT_EQ(edited.exit_code, 1) << describe(edited);
    EXPECT_NE(edited.out.find(generation.string() + ": changed since it was written"),
              std::string::npos)
        << edited.out;
}

TEST(PublishAscMhl, FolderWithoutHistoryIsReportedNotPassed) {
    testing::TempDir dir;
    const auto result = run_storyreel({"checksum", "--verify", dir.path().string()});
    EXPECT_EQ(result.exit_code, 1) << describe(result);
    EXPECT_NE(result.out.find("no ASC MHL history"), std::string::npos) << result.out;
}

TEST(PublishAscMhl, AListedPathOutsideTheFolderIsRefusedNotRead) {
    // A hostile hash list must not make `checksum --verify` hash (and so report on) files
    // outside the folder it verifies.
    testing::TempDir dir;
    const fs::path folder = dir.path() / "delivered";
    fs::create_directories(folder / "ascmhl");
    std::ofstream(dir.path() / "secret.txt") << "not part of the delivery";
    for (const std::string& path :
         {std::string("../secret.txt"), (dir.path() / "secret.txt").string()}) {
        const std::string generation =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<hashlist version=\"2.0\" xmlns=\"urn:ASC:MHL:v2.0\"><hashes><hash>\n"
            "<path size=\"24\">" +
            path +
            "</path><xxh128 action=\"original\">00</xxh128>"
            "</hash></hashes></hashlist>\n";
        const std::string name = "0001_delivered_2026-12-07_000000Z.mhl";
        std::ofstream(folder / "ascmhl" / name) << generation;
        std::ofstream(folder / "ascmhl" / "ascmhl_chain.xml")
            << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<ascmhldirectory xmlns=\"urn:ASC:MHL:DIRECTORY:v2.0\"><hashlist sequencenr=\"1\">"
               "<path>"
            << name << "</path><c4>" << publish::c4_id_of(generation)
            << "</c4></hashlist></ascmhldirectory>\n";
        const auto result = run_storyreel({"checksum", "--verify", folder.string()});
        EXPECT_NE(result.exit_code, 0) << describe(result);
        EXPECT_NE(result.err.find("is not a file inside the folder"), std::string::npos)
            << path << describe(result);
        EXPECT_EQ(result.out.find("secret.txt"), std::string::npos) << result.out;
    }
}

}  // namespace
}  // namespace storyreel
