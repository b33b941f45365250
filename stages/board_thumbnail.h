#pragma once
// A board's signature for the production checks (pipeline/board_signature.h), taken from
// the board as ingested: the conform stage computes it for every board a build reads, and
// `storyreel check` for boards no build has read yet.

#include <OpenImageIO/imagebuf.h>

#include <memory>

#include "pipeline/board_signature.h"
#include "pipeline/input_limits.h"
#include "pipeline/stage.h"

namespace storyreel {

/// Grey thumbnail (Rec.709 luma of the display-referred RGB, area means) and signature of
/// an ingested board (RGB: UINT8 as read, UINT16 as ingested, or float). Large boards are sampled
/// on a grid of at least 256 points a side (a few hundred microseconds per board at 1080p).
BoardSignature board_signature_of_image(const OIIO::ImageBuf& board);

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
    BoardSignature read(const PanelSlot& slot) const override;

  private:
    InputLimits limits_;
    std::unique_ptr<Stage> ingest_;
};

}  // namespace storyreel
