#include "stages/board_thumbnail.h"

#include <algorithm>
#include <cstdint>

namespace storyreel {

namespace {

constexpr float kLuma[3] = {0.2126f, 0.7152f, 0.0722f};

template <typename Sample>
void accumulate(const OIIO::ImageBuf& board, float scale, int step, std::vector<double>& sums,
                std::vector<int>& counts) {
    const OIIO::ImageSpec& spec = board.spec();
    const int width = spec.width, height = spec.height, channels = spec.nchannels;
    const auto* pixels = static_cast<const char*>(board.localpixels());
    const std::size_t row_bytes = spec.scanline_bytes();
    for (int y = 0; y < height; y += step) {
        const auto* row =
            reinterpret_cast<const Sample*>(pixels + static_cast<std::size_t>(y) * row_bytes);
        const int cell_y = y * kThumbnailSize / height;
        for (int x = 0; x < width; x += step) {
            const Sample* pixel = row + static_cast<std::size_t>(x) * channels;
            float luma = channels >= 3
                             ? kLuma[0] * pixel[0] + kLuma[1] * pixel[1] + kLuma[2] * pixel[2]
                             : static_cast<float>(pixel[0]);
            const std::size_t cell =
                static_cast<std::size_t>(cell_y) * kThumbnailSize + x * kThumbnailSize / width;
            sums[cell] += std::clamp(luma * scale, 0.f, 1.f);
            ++counts[cell];
        }
    }
}

}  // namespace

BoardSignature board_signature_of_image(const OIIO::ImageBuf& board) {
    const OIIO::ImageSpec& spec = board.spec();
    const std::size_t cells = static_cast<std::size_t>(kThumbnailSize) * kThumbnailSize;
    std::vector<double> sums(cells, 0.0);
    std::vector<int> counts(cells, 0);
    const int step = std::max(1, std::min(spec.width, spec.height) / 256);
    OIIO::ImageBuf converted;
    const OIIO::ImageBuf* source = &board;
    if (!board.localpixels() ||
        (spec.format != OIIO::TypeDesc::UINT8 && spec.format != OIIO::TypeDesc::UINT16 &&
         spec.format != OIIO::TypeDesc::FLOAT)) {
        converted.copy(board, OIIO::TypeDesc::FLOAT);
        source = &converted;
    }
    if (source->spec().format == OIIO::TypeDesc::UINT8)  // the same luma as widened (v * 257)
        accumulate<std::uint8_t>(*source, 1.f / 255.f, step, sums, counts);
    else if (source->spec().format == OIIO::TypeDesc::UINT16)
        accumulate<std::uint16_t>(*source, 1.f / 65535.f, step, sums, counts);
    else
        accumulate<float>(*source, 1.f, step, sums, counts);
    std::vector<float> thumbnail(cells, 1.f);
    for (std::size_t i = 0; i < cells; ++i)
        if (counts[i] > 0) thumbnail[i] = static_cast<float>(sums[i] / counts[i]);
    // A board smaller than the grid leaves cells empty: copy the nearest filled one.
    for (std::size_t i = 0; i < cells; ++i)
        if (counts[i] == 0) {
            const int y = static_cast<int>(i) / kThumbnailSize,
                      x = static_cast<int>(i) % kThumbnailSize;
            const int sy = std::min(spec.height - 1, y * spec.height / kThumbnailSize) *
                           kThumbnailSize / std::max(1, spec.height);
            const int sx = std::min(spec.width - 1, x * spec.width / kThumbnailSize) *
                           kThumbnailSize / std::max(1, spec.width);
            thumbnail[i] = thumbnail[static_cast<std::size_t>(sy) * kThumbnailSize + sx];
        }
    return board_signature_of(thumbnail, spec.width, spec.height);
}

}  // namespace storyreel

#include "pipeline/pipeline_spec.h"
#include "stages/image_value.h"
#include "stages/ingest_stage.h"

namespace storyreel {

IngestBoardSignatureReader::IngestBoardSignatureReader(const Project& project,
                                                       const PipelineSpec& pipeline)
    : limits_(project.limits) {
    StageParams params{"ingest", YAML::Node(), pipeline.file.string(), &project};
    for (const auto& stage : pipeline.stages)
        if (stage.type == "ingest") {
            params.stage_name = stage.name;
            params.params = stage.params;
            break;
        }
    Diagnostics diagnostics;
    ingest_ = ingest_stage_type().create(params, diagnostics);
    if (!ingest_) throw ValidationError(diagnostics);
}

IngestBoardSignatureReader::~IngestBoardSignatureReader() = default;

BoardSignature IngestBoardSignatureReader::read(const PanelSlot& slot) const {
    // Most boards are plain 8-bit RGB, which ingest passes through: skip its widening.
    if (auto plain = read_plain_8bit_board(slot.panel->board, limits_))
        return board_signature_of_image(*plain);
    auto& stage = static_cast<PanelStage&>(*ingest_);
    const std::any value = stage.process(slot, {});
    return board_signature_of_image(*std::any_cast<const ImageValue&>(value));
}

}  // namespace storyreel
