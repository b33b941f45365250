#pragma once
// Progress of a build: a live line on a terminal, a few quiet log lines elsewhere.

#include <chrono>
#include <cstdint>
#include <string>

#include "pipeline/graph_executor.h"

namespace storyreel {

class ProgressReporter : public ProgressListener {
  public:
    /// `total_frames`: frames every sink will write, summed over sinks.
    /// `interactive`: redraw one line on stderr (a terminal); otherwise log every 10%.
    ProgressReporter(std::int64_t total_frames, std::size_t total_panels, bool interactive);

    void panel_written(const std::string& sink, const PanelSlot& slot) override;
    /// Ends the live line.
    void finish();

  private:
    void draw(bool force);

    std::int64_t total_frames_;
    std::size_t total_panels_;
    bool interactive_;
    std::int64_t frames_done_ = 0;
    std::size_t panels_done_ = 0;
    int last_logged_decile_ = -1;
    std::string last_panel_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace storyreel
