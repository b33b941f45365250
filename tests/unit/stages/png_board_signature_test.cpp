// `storyreel check` decodes PNG boards with libpng directly (stages/png_board_signature.h):
// for every kind of PNG a board comes as, the signature must be bit for bit the one the
// ingest stage's OpenImageIO reading gives, or a board checked first and built later (or
// the other way round) would look redrawn to duplicate_board. What the shortcut refuses
// (alpha, a linear gamma, a damaged file) goes through the stage, which says why.
//
// Fixtures: OpenImageIO writes the kinds it can (8/16-bit RGB, RGBA, grey, grey+alpha);
// palette, low bit depths, transparency chunks, gAMA and interlacing, which its PNG writer
// does not make, are written with libpng.

#include "stages/png_board_signature.h"

#include <OpenImageIO/imagebuf.h>
#include <gtest/gtest.h>
#include <png.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "media/plain_png_reader.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/project.h"
#include "stages/board_thumbnail.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// Pencil-like noise over paper with a few dark strokes: every code value occurs.
std::vector<std::uint16_t> drawn_codes(int width, int height, int channels, unsigned seed,
                                       int max_code) {
    std::mt19937 random(seed);
    std::vector<std::uint16_t> codes(static_cast<std::size_t>(width) * height * channels);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const bool stroke = (x / 37 + y / 23 + static_cast<int>(seed)) % 7 == 0;
            for (int c = 0; c < channels; ++c) {
                const int noise = static_cast<int>(random() % static_cast<unsigned>(max_code + 1));
                const int paper = max_code - noise / 8;
                codes[(static_cast<std::size_t>(y) * width + x) * channels + c] =
                    static_cast<std::uint16_t>(stroke ? noise / 3 : (y % 5 == 0 ? noise : paper));
            }
        }
    return codes;
}

void write_with_oiio(const fs::path& file, int width, int height, int channels, bool deep,
                     unsigned seed) {
    const auto codes = drawn_codes(width, height, channels, seed, deep ? 65535 : 255);
    OIIO::ImageSpec spec(width, height, channels,
                         deep ? OIIO::TypeDesc::UINT16 : OIIO::TypeDesc::UINT8);
    if (channels == 2 || channels == 4) spec.alpha_channel = channels - 1;
    OIIO::ImageBuf image(spec);
    if (deep) {
        image.set_pixels(OIIO::ROI::All(), OIIO::TypeDesc::UINT16, codes.data());
    } else {
        std::vector<std::uint8_t> bytes(codes.begin(), codes.end());
        image.set_pixels(OIIO::ROI::All(), OIIO::TypeDesc::UINT8, bytes.data());
    }
    ASSERT_TRUE(image.write(file.string())) << image.geterror();
}

/// A PNG as libpng writes it: `rows` already packed for `color_type` and `bit_depth`.
struct PngPicture {
    int width = 0, height = 0, color_type = PNG_COLOR_TYPE_RGB, bit_depth = 8;
    bool interlaced = false;
    std::vector<png_byte> rows;
    std::vector<png_color> palette;
    std::vector<png_byte> transparency;  ///< tRNS for palette entries
    double gamma = 0;                    ///< gAMA (file gamma), 0: none
    int filters = 0;                     ///< png_set_filter() mask, 0: libpng's choice
    std::string text_key;                ///< a tEXt chunk with this keyword, if not empty
};

bool write_with_libpng(const fs::path& file, const PngPicture& picture) {
    std::FILE* out = std::fopen(file.c_str(), "wb");
    if (!out) return false;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        std::fclose(out);
        return false;
    }
    png_init_io(png, out);
    png_set_IHDR(png, info, picture.width, picture.height, picture.bit_depth, picture.color_type,
                 picture.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (!picture.palette.empty())
        png_set_PLTE(png, info, picture.palette.data(), static_cast<int>(picture.palette.size()));
    if (!picture.transparency.empty())
        png_set_tRNS(png, info, picture.transparency.data(),
                     static_cast<int>(picture.transparency.size()), nullptr);
    if (picture.gamma > 0) png_set_gAMA(png, info, picture.gamma);
    if (picture.filters) png_set_filter(png, PNG_FILTER_TYPE_BASE, picture.filters);
    png_text text{};
    text.compression = PNG_TEXT_COMPRESSION_NONE;
    text.key = const_cast<char*>(picture.text_key.c_str());
    text.text = const_cast<char*>("linear");
    if (!picture.text_key.empty()) png_set_text(png, info, &text, 1);
    png_write_info(png, info);
    const std::size_t row_bytes = picture.rows.size() / static_cast<std::size_t>(picture.height);
    const int passes = png_set_interlace_handling(png);
    for (int pass = 0; pass < passes; ++pass)
        for (int y = 0; y < picture.height; ++y)
            png_write_row(png, picture.rows.data() + static_cast<std::size_t>(y) * row_bytes);
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return std::fclose(out) == 0;
}

/// Codes packed `bit_depth` bits each, rows byte-aligned, 16-bit big-endian.
std::vector<png_byte> packed(const std::vector<std::uint16_t>& codes, int per_row, int bit_depth) {
    std::vector<png_byte> bytes;
    const std::size_t rows = codes.size() / static_cast<std::size_t>(per_row);
    for (std::size_t y = 0; y < rows; ++y) {
        int filled = 0;
        for (int i = 0; i < per_row; ++i) {
            const std::uint16_t code = codes[y * per_row + i];
            if (bit_depth == 16) {
                bytes.push_back(static_cast<png_byte>(code >> 8));
                bytes.push_back(static_cast<png_byte>(code & 0xff));
                continue;
            }
            if (filled % 8 == 0) bytes.push_back(0);
            bytes.back() |= static_cast<png_byte>(code << (8 - bit_depth - filled % 8));
            filled += bit_depth;
        }
    }
    return bytes;
}

PngPicture grey_picture(int width, int height, int bit_depth, unsigned seed) {
    PngPicture picture{width, height, PNG_COLOR_TYPE_GRAY, bit_depth};
    picture.rows =
        packed(drawn_codes(width, height, 1, seed, (1 << bit_depth) - 1), width, bit_depth);
    return picture;
}

PngPicture palette_picture(int width, int height, int bit_depth, unsigned seed) {
    PngPicture picture{width, height, PNG_COLOR_TYPE_PALETTE, bit_depth};
    const int colours = 1 << bit_depth;
    for (int i = 0; i < colours; ++i)
        picture.palette.push_back({static_cast<png_byte>(255 - i * 255 / colours),
                                   static_cast<png_byte>((i * 97) % 256),
                                   static_cast<png_byte>(255 - (i * 31) % 200)});
    picture.rows = packed(drawn_codes(width, height, 1, seed, colours - 1), width, bit_depth);
    return picture;
}

PngPicture rgb_picture(int width, int height, unsigned seed, int bit_depth = 8) {
    PngPicture picture{width, height, PNG_COLOR_TYPE_RGB, bit_depth};
    picture.rows =
        packed(drawn_codes(width, height, 3, seed, (1 << bit_depth) - 1), width * 3, bit_depth);
    return picture;
}

PngPicture interlaced(PngPicture picture) {
    picture.interlaced = true;
    return picture;
}

/// The ingest reader and a slot for one board.
class BoardFixture {
  public:
    BoardFixture() : reader_(project_, pipeline_) {
        slot_.sequence = &sequence_;
        slot_.shot = &shot_;
        slot_.panel = &panel_;
        sequence_.name = "sq010";
        shot_.name = "sh010";
        panel_.name = "p001";
    }
    const PanelSlot& slot(const fs::path& board) {
        panel_.board = board;
        return slot_;
    }
    const IngestBoardSignatureReader& reader() const { return reader_; }

  private:
    Project project_;
    PipelineSpec pipeline_;
    IngestBoardSignatureReader reader_;
    Sequence sequence_;
    Shot shot_;
    Panel panel_;
    PanelSlot slot_;
};

void expect_identical(const BoardSignature& fast, const BoardSignature& ingested,
                      const std::string& kind) {
    EXPECT_EQ(fast.dhash, ingested.dhash) << kind;
    EXPECT_EQ(fast.ink_fraction, ingested.ink_fraction) << kind;  // bit for bit, not near
    EXPECT_EQ(fast.width, ingested.width) << kind;
    EXPECT_EQ(fast.height, ingested.height) << kind;
}

TEST(PngBoardSignature, EveryOpaqueKindSignsBitForBitAsTheIngestStageReadsIt) {
    testing::TempDir dir;
    BoardFixture boards;
    std::vector<std::pair<std::string, fs::path>> kinds;
    const auto add = [&](const std::string& kind) {
        kinds.emplace_back(kind, dir.path() / (kind + ".png"));
        return kinds.back().second;
    };
    for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{333, 201}}) {
        const std::string size = std::to_string(width) + "x" + std::to_string(height);
        write_with_oiio(add("rgb8-" + size), width, height, 3, false, 1);
        write_with_oiio(add("rgb16-" + size), width, height, 3, true, 2);
        write_with_oiio(add("grey8-" + size), width, height, 1, false, 3);
        write_with_oiio(add("grey16-" + size), width, height, 1, true, 4);
        ASSERT_TRUE(
            write_with_libpng(add("palette8-" + size), palette_picture(width, height, 8, 5)));
        ASSERT_TRUE(
            write_with_libpng(add("palette2-" + size), palette_picture(width, height, 2, 6)));
        ASSERT_TRUE(write_with_libpng(add("grey1-" + size), grey_picture(width, height, 1, 7)));
        ASSERT_TRUE(write_with_libpng(add("grey4-" + size), grey_picture(width, height, 4, 8)));
        ASSERT_TRUE(write_with_libpng(add("interlaced-rgb8-" + size),
                                      interlaced(rgb_picture(width, height, 9))));
        ASSERT_TRUE(write_with_libpng(add("interlaced-grey8-" + size),
                                      interlaced(grey_picture(width, height, 8, 10))));
        PngPicture gamma = rgb_picture(width, height, 11);
        gamma.gamma = 1 / 2.2;  // OpenImageIO reads it as "Gamma2.2": passed through as sRGB
        ASSERT_TRUE(write_with_libpng(add("gamma22-" + size), gamma));
    }
    for (const auto& [kind, board] : kinds) {
        const auto fast = png_board_signature(board, InputLimits{});
        ASSERT_TRUE(fast.has_value()) << kind << ": the shortcut takes it";
        expect_identical(*fast, boards.reader().read_as_ingested(boards.slot(board)), kind);
        expect_identical(boards.reader().read(boards.slot(board)), *fast, kind);
    }
}

TEST(PngBoardSignature, WhatTheIngestStageCompositesOrConvertsGoesThroughIt) {
    testing::TempDir dir;
    BoardFixture boards;
    std::vector<std::pair<std::string, fs::path>> kinds{
        {"rgba8", dir.path() / "rgba8.png"},   {"rgba16", dir.path() / "rgba16.png"},
        {"greya8", dir.path() / "greya8.png"}, {"palette-trns", dir.path() / "trns.png"},
        {"linear", dir.path() / "linear.png"},
    };
    write_with_oiio(kinds[0].second, 640, 360, 4, false, 21);
    write_with_oiio(kinds[1].second, 640, 360, 4, true, 22);
    write_with_oiio(kinds[2].second, 640, 360, 2, false, 23);
    PngPicture transparent = palette_picture(640, 360, 8, 24);
    transparent.transparency = {0, 128};
    ASSERT_TRUE(write_with_libpng(kinds[3].second, transparent));
    PngPicture linear = rgb_picture(640, 360, 25);
    linear.gamma = 1.0;  // OpenImageIO: "linear", so ingest colour-converts it
    ASSERT_TRUE(write_with_libpng(kinds[4].second, linear));
    for (const auto& [kind, board] : kinds) {
        EXPECT_FALSE(png_board_signature(board, InputLimits{}).has_value()) << kind;
        expect_identical(boards.reader().read(boards.slot(board)),
                         boards.reader().read_as_ingested(boards.slot(board)), kind);
    }
    InputLimits small;
    small.max_board_side = 100;
    EXPECT_FALSE(png_board_signature(kinds[4].second, small).has_value()) << "over the limits";
    write_with_oiio(dir.path() / "board.tif", 64, 64, 3, false, 26);
    EXPECT_FALSE(png_board_signature(dir.path() / "board.tif", InputLimits{}).has_value());
    EXPECT_FALSE(png_board_signature(dir.path() / "missing.png", InputLimits{}).has_value());
}

std::string error_reading(const IngestBoardSignatureReader& reader, const PanelSlot& slot) {
    try {
        reader.read(slot);
    } catch (const BuildError& error) {
        return error.what();
    }
    return "";
}

TEST(PngBoardSignature, ADamagedPngIsTheStagesErrorNamingTheFile) {
    testing::TempDir dir;
    BoardFixture boards;
    const fs::path whole = dir.path() / "whole.png";
    ASSERT_TRUE(write_with_libpng(whole, rgb_picture(640, 360, 31)));
    std::string bytes;
    {
        std::ifstream in(whole, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const fs::path truncated = dir.path() / "truncated.png";
    std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    const fs::path flipped = dir.path() / "flipped.png";
    std::string damaged = bytes;
    damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);
    std::ofstream(flipped, std::ios::binary) << damaged;
    for (const fs::path& board : {truncated, flipped}) {
        EXPECT_FALSE(png_board_signature(board, InputLimits{}).has_value()) << board;
        const std::string error = error_reading(boards.reader(), boards.slot(board));
        EXPECT_NE(error.find(board.string()), std::string::npos) << error;
        EXPECT_NE(error.find("cannot read board image"), std::string::npos) << error;
        EXPECT_NE(error.find("sq010/sh010/p001"), std::string::npos) << error;
    }
}

std::vector<std::uint8_t> bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Keeps every row a PlainPngReader decodes.
class AllRows : public PngRowSink {
  public:
    bool wants_row(int) const override { return true; }
    void take_row(int, const std::uint8_t* row) override {
        rows.insert(rows.end(), row, row + row_bytes);
    }
    std::size_t row_bytes = 0;
    std::vector<std::uint8_t> rows;
};

TEST(PlainPngReader, DecodesEveryFilterToTheSamplesOpenImageIoReads) {
    testing::TempDir dir;
    const int filters[] = {PNG_FILTER_NONE, PNG_FILTER_SUB,   PNG_FILTER_UP,
                           PNG_FILTER_AVG,  PNG_FILTER_PAETH, PNG_ALL_FILTERS};
    for (int depth : {8, 16})
        for (bool grey : {false, true})
            for (int filter : filters) {
                PngPicture picture =
                    grey ? grey_picture(97, 61, depth, 40) : rgb_picture(97, 61, 41, depth);
                picture.filters = filter;
                const std::string kind =
                    std::to_string(depth) + (grey ? "-grey-" : "-rgb-") + std::to_string(filter);
                const fs::path file = dir.path() / (kind + ".png");
                ASSERT_TRUE(write_with_libpng(file, picture)) << kind;
                const std::vector<std::uint8_t> bytes = bytes_of(file);
                PlainPngReader reader;
                ASSERT_TRUE(reader.open(bytes)) << kind;
                AllRows rows;
                rows.row_bytes = std::size_t{97} * reader.channels() * (depth / 8);
                ASSERT_TRUE(reader.read_rows(rows)) << kind;
                OIIO::ImageBuf expected(file.string());
                const auto type = depth == 16 ? OIIO::TypeDesc::UINT16 : OIIO::TypeDesc::UINT8;
                ASSERT_TRUE(expected.read(0, 0, true, type)) << kind;
                ASSERT_EQ(rows.rows.size(), expected.spec().image_bytes()) << kind;
                EXPECT_EQ(std::memcmp(rows.rows.data(), expected.localpixels(), rows.rows.size()),
                          0)
                    << kind;
            }
}

TEST(PlainPngReader, RefusesWhatItDoesNotTakeAsItIs) {
    testing::TempDir dir;
    std::vector<std::pair<std::string, PngPicture>> refused{
        {"palette", palette_picture(64, 32, 8, 50)},
        {"interlaced", interlaced(rgb_picture(64, 32, 51))},
        {"linear", rgb_picture(64, 32, 52)},
        {"colour-space-text", rgb_picture(64, 32, 53)},
    };
    refused[2].second.gamma = 1.0;
    refused[3].second.text_key = "oiio:ColorSpace";
    for (const auto& [kind, picture] : refused) {
        const fs::path file = dir.path() / (kind + ".png");
        ASSERT_TRUE(write_with_libpng(file, picture)) << kind;
        const std::vector<std::uint8_t> bytes = bytes_of(file);
        EXPECT_FALSE(PlainPngReader().open(bytes)) << kind;
    }
    EXPECT_FALSE(png_board_signature(dir.path() / "colour-space-text.png", {}).has_value());

    ASSERT_TRUE(write_with_libpng(dir.path() / "plain.png", rgb_picture(64, 32, 54)));
    std::vector<std::uint8_t> bytes = bytes_of(dir.path() / "plain.png");
    PlainPngReader whole;
    AllRows rows;
    rows.row_bytes = 64 * 3;
    ASSERT_TRUE(whole.open(bytes));
    ASSERT_TRUE(whole.read_rows(rows));
    const std::vector<std::uint8_t> truncated(bytes.begin(), bytes.end() - 20);
    PlainPngReader short_one;
    EXPECT_FALSE(short_one.open(truncated) && short_one.read_rows(rows)) << "truncated";
    bytes[bytes.size() - 30] ^= 0x10;  // inside the image data: its chunk's CRC no longer holds
    PlainPngReader damaged;
    EXPECT_FALSE(damaged.open(bytes) && damaged.read_rows(rows)) << "damaged";
}

}  // namespace
}  // namespace storyreel
