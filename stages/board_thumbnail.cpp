#include "stages/board_thumbnail.h"

#include <algorithm>
#include <cstdint>

namespace storyreel {

namespace {

constexpr float kLuma[3] = {0.2126f, 0.7152f, 0.0722f};

template <typename Sample>
void add_rows(const OIIO::ImageBuf& board, BoardThumbnailSampler& sampler) {
    const OIIO::ImageSpec& spec = board.spec();
    const auto* pixels = static_cast<const char*>(board.localpixels());
    const std::size_t row_bytes = spec.scanline_bytes();
    for (int y = 0; y < spec.height; ++y)
        if (sampler.wants_row(y))
            sampler.add_row(
                y,
                reinterpret_cast<const Sample*>(pixels + static_cast<std::size_t>(y) * row_bytes),
                spec.nchannels);
}

}  // namespace

BoardThumbnailSampler::BoardThumbnailSampler(int width, int height)
    : width_(width),
      height_(height),
      step_(std::max(1, std::min(width, height) / 256)),
      sums_(static_cast<std::size_t>(kThumbnailSize) * kThumbnailSize, 0.0),
      counts_(sums_.size(), 0) {}

template <typename Sample>
void BoardThumbnailSampler::accumulate(int y, const Sample* row, int channels, float scale) {
    const int cell_y = y * kThumbnailSize / height_;
    for (int x = 0; x < width_; x += step_) {
        const Sample* pixel = row + static_cast<std::size_t>(x) * channels;
        float luma = channels >= 3 ? kLuma[0] * pixel[0] + kLuma[1] * pixel[1] + kLuma[2] * pixel[2]
                                   : static_cast<float>(pixel[0]);
        const std::size_t cell =
            static_cast<std::size_t>(cell_y) * kThumbnailSize + x * kThumbnailSize / width_;
        sums_[cell] += std::clamp(luma * scale, 0.f, 1.f);
        ++counts_[cell];
    }
}

// UINT8 codes give the same luma as widened to UINT16 (v * 257).
void BoardThumbnailSampler::add_row(int y, const std::uint8_t* row, int channels) {
    accumulate(y, row, channels, 1.f / 255.f);
}

void BoardThumbnailSampler::add_row(int y, const std::uint16_t* row, int channels) {
    accumulate(y, row, channels, 1.f / 65535.f);
}

void BoardThumbnailSampler::add_row(int y, const float* row, int channels) {
    accumulate(y, row, channels, 1.f);
}

BoardSignature BoardThumbnailSampler::signature() const {
    const std::size_t cells = sums_.size();
    std::vector<float> thumbnail(cells, 1.f);
    for (std::size_t i = 0; i < cells; ++i)
        if (counts_[i] > 0) thumbnail[i] = static_cast<float>(sums_[i] / counts_[i]);
    // A board smaller than the grid leaves cells empty: copy the nearest filled one.
    for (std::size_t i = 0; i < cells; ++i)
        if (counts_[i] == 0) {
            const int y = static_cast<int>(i) / kThumbnailSize,
                      x = static_cast<int>(i) % kThumbnailSize;
            const int sy = std::min(height_ - 1, y * height_ / kThumbnailSize) * kThumbnailSize /
                           std::max(1, height_);
            const int sx = std::min(width_ - 1, x * width_ / kThumbnailSize) * kThumbnailSize /
                           std::max(1, width_);
            thumbnail[i] = thumbnail[static_cast<std::size_t>(sy) * kThumbnailSize + sx];
        }
    return board_signature_of(thumbnail, width_, height_);
}

BoardSignature board_signature_of_image(const OIIO::ImageBuf& board) {
    const OIIO::ImageSpec& spec = board.spec();
    OIIO::ImageBuf converted;
    const OIIO::ImageBuf* source = &board;
    if (!board.localpixels() ||
        (spec.format != OIIO::TypeDesc::UINT8 && spec.format != OIIO::TypeDesc::UINT16 &&
         spec.format != OIIO::TypeDesc::FLOAT)) {
        converted.copy(board, OIIO::TypeDesc::FLOAT);
        source = &converted;
    }
    BoardThumbnailSampler sampler(spec.width, spec.height);
    if (source->spec().format == OIIO::TypeDesc::UINT8)
        add_rows<std::uint8_t>(*source, sampler);
    else if (source->spec().format == OIIO::TypeDesc::UINT16)
        add_rows<std::uint16_t>(*source, sampler);
    else
        add_rows<float>(*source, sampler);
    return sampler.signature();
}

}  // namespace storyreel

#include "pipeline/pipeline_spec.h"
#include "stages/image_value.h"
#include "stages/ingest_stage.h"
#include "stages/png_board_signature.h"

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
    if (auto decoded = png_board_signature(slot.panel->board, limits_)) return *decoded;
    return read_as_ingested(slot);
}

BoardSignature IngestBoardSignatureReader::read_as_ingested(const PanelSlot& slot) const {
    // Most boards are plain 8-bit RGB, which ingest passes through: skip its widening.
    if (auto plain = read_plain_8bit_board(slot.panel->board, limits_))
        return board_signature_of_image(*plain);
    auto& stage = static_cast<PanelStage&>(*ingest_);
    const std::any value = stage.process(slot, {});
    return board_signature_of_image(*std::any_cast<const ImageValue&>(value));
}

}  // namespace storyreel
