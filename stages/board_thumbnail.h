#pragma once
// A board's signature for the production checks (pipeline/board_signature.h), taken from
// the board as ingested: the conform stage computes it for every board a build reads, and
// `storyreel check` for boards no build has read yet.

#include <OpenImageIO/imagebuf.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "pipeline/board_signature.h"
#include "pipeline/input_limits.h"
#include "pipeline/stage.h"

namespace storyreel {

/// Grey thumbnail (Rec.709 luma of the display-referred RGB, area means) and signature of
/// an ingested board (RGB: UINT8 as read, UINT16 as ingested, or float). Large boards are sampled
/// on a grid of at least 256 points a side (a few hundred microseconds per board at 1080p).
BoardSignature board_signature_of_image(const OIIO::ImageBuf& board);

/// The sampling board_signature_of_image() does, fed row by row, so a reader that decodes
/// a board itself (stages/png_board_signature.h) gets the same values without a full image.
/// Pixels are 3 channels or more (RGB luma) or fewer (the first channel as grey), as
/// UINT8 codes, UINT16 codes or float.
class BoardThumbnailSampler {
  public:
    BoardThumbnailSampler(int width, int height);
    /// Whether row `y` is sampled (the others need not be given).
    bool wants_row(int y) const { return y % step_ == 0; }
    void add_row(int y, const std::uint8_t* row, int channels);
    void add_row(int y, const std::uint16_t* row, int channels);
    void add_row(int y, const float* row, int channels);
    BoardSignature signature() const;

  private:
    template <typename Sample>
    void accumulate(int y, const Sample* row, int channels, float scale);

    int width_, height_, step_;
    std::vector<double> sums_;
    std::vector<int> counts_;
};

}  // namespace storyreel

namespace storyreel {

struct PipelineSpec;
class PanelStage;

/// Reads boards the way a build's ingest stage does (the pipeline's `ingest` params, the
/// show background) and computes their signatures: `storyreel check` uses it for boards no
/// build has read yet.
class IngestBoardSignatureReader : public BoardSignatureReader {
  public:
    IngestBoardSignatureReader(const Project& project, const PipelineSpec& pipeline);
    ~IngestBoardSignatureReader() override;
    /// PNG boards are decoded by png_board_signature() when it can (the same values, a
    /// fraction of the CPU); every other board, and every PNG it refuses, by read_as_ingested().
    BoardSignature read(const PanelSlot& slot) const override;
    /// Through OpenImageIO, as the build's ingest stage reads the board.
    BoardSignature read_as_ingested(const PanelSlot& slot) const;

  private:
    InputLimits limits_;
    std::unique_ptr<Stage> ingest_;
};

}  // namespace storyreel
