#include "pipeline/progress.h"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace storyreel {

ProgressReporter::ProgressReporter(std::int64_t total_frames, std::size_t total_panels,
                                   bool interactive)
    : total_frames_(total_frames),
      total_panels_(total_panels),
      interactive_(interactive),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressReporter::panel_written(const std::string& sink, const PanelSlot& slot) {
    frames_done_ += slot.frames();
    ++panels_done_;
    last_panel_ = sink + " " + slot.name();
    draw(false);
}

void ProgressReporter::draw(bool force) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const int percent =
        total_frames_ > 0 ? static_cast<int>(100 * frames_done_ / total_frames_) : 100;
    if (interactive_) {
        if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
        last_draw_ = now;
        std::fprintf(stderr, "\r\033[K[%3d%%] %lld/%lld frames  %zu/%zu panel writes  %.1fs  %s",
                     percent, static_cast<long long>(frames_done_),
                     static_cast<long long>(total_frames_), panels_done_, total_panels_, elapsed,
                     last_panel_.c_str());
        std::fflush(stderr);
    } else if (percent / 10 != last_logged_decile_) {
        last_logged_decile_ = percent / 10;
        spdlog::info("progress {}% ({}/{} frames, {:.1f}s)", percent, frames_done_, total_frames_,
                     elapsed);
    }
}

void ProgressReporter::finish() {
    if (!interactive_) return;
    draw(true);
    std::fprintf(stderr, "\n");
}

}  // namespace storyreel
