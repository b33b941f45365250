#include "pipeline/timing_fit.h"

#include <algorithm>
#include <numeric>

namespace storyreel {

namespace {

bool has_max(const FitPanel& panel) { return panel.max_frames > 0; }

std::optional<std::string> infeasible(const std::vector<FitPanel>& panels, std::int64_t total) {
    std::int64_t min_sum = 0, max_sum = 0;
    bool bounded = true;
    for (const auto& panel : panels) {
        min_sum += panel.min_frames;
        if (has_max(panel))
            max_sum += panel.max_frames;
        else
            bounded = false;
    }
    const std::string count =
        std::to_string(panels.size()) + " panel" + (panels.size() == 1 ? "" : "s");
    if (min_sum > total)
        return "the " + count + " need at least " + std::to_string(min_sum) +
               " frames (their minimum holds), the time available is " + std::to_string(total) +
               " frames";
    if (bounded && max_sum < total)
        return "the " + count + " may hold at most " + std::to_string(max_sum) +
               " frames (their maximum holds), the time available is " + std::to_string(total) +
               " frames";
    return std::nullopt;
}

/// Proportional shares, with panels outside their limits pinned to them and the rest
/// re-shared (water filling).
std::vector<double> continuous_shares(const std::vector<FitPanel>& panels, std::int64_t total) {
    const std::size_t n = panels.size();
    std::vector<double> share(n, 0.0);
    std::vector<bool> pinned(n, false);
    while (true) {
        double weight = 0, remaining = static_cast<double>(total);
        for (std::size_t i = 0; i < n; ++i) {
            if (pinned[i])
                remaining -= share[i];
            else
                weight += panels[i].weight;
        }
        if (weight <= 0) return share;
        bool below = false, above = false;
        for (std::size_t i = 0; i < n; ++i) {
            if (pinned[i]) continue;
            share[i] = remaining * panels[i].weight / weight;
            below = below || share[i] < static_cast<double>(panels[i].min_frames);
            above = above ||
                    (has_max(panels[i]) && share[i] > static_cast<double>(panels[i].max_frames));
        }
        if (!below && !above) return share;
        // Pin one side at a time: pinning the short ones first keeps the rest proportional.
        for (std::size_t i = 0; i < n; ++i) {
            if (pinned[i]) continue;
            if (below && share[i] < static_cast<double>(panels[i].min_frames)) {
                share[i] = static_cast<double>(panels[i].min_frames);
                pinned[i] = true;
            } else if (!below && has_max(panels[i]) &&
                       share[i] > static_cast<double>(panels[i].max_frames)) {
                share[i] = static_cast<double>(panels[i].max_frames);
                pinned[i] = true;
            }
        }
    }
}

}  // namespace

std::optional<std::vector<std::int64_t>> fit_frames(const std::vector<FitPanel>& panels,
                                                    std::int64_t total_frames, std::string& why) {
    if (panels.empty()) {
        if (total_frames == 0) return std::vector<std::int64_t>{};
        why = "no panel to fill " + std::to_string(total_frames) + " frames";
        return std::nullopt;
    }
    if (auto problem = infeasible(panels, total_frames)) {
        why = *problem;
        return std::nullopt;
    }
    const std::vector<double> share = continuous_shares(panels, total_frames);
    const std::size_t n = panels.size();
    std::vector<std::int64_t> frames(n);
    std::vector<double> remainder(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t whole = static_cast<std::int64_t>(share[i]);
        whole = std::max(whole, panels[i].min_frames);
        if (has_max(panels[i])) whole = std::min(whole, panels[i].max_frames);
        frames[i] = whole;
        remainder[i] = share[i] - static_cast<double>(whole);
    }
    std::int64_t missing =
        total_frames - std::accumulate(frames.begin(), frames.end(), std::int64_t{0});
    // Largest remainder first (earlier panel on ties); repeat rounds in case limits block some.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    while (missing > 0) {
        for (std::size_t i : order) {
            if (missing == 0) break;
            if (has_max(panels[i]) && frames[i] >= panels[i].max_frames) continue;
            ++frames[i];
            --missing;
        }
    }
    while (missing < 0) {
        for (auto it = order.rbegin(); it != order.rend() && missing < 0; ++it) {
            if (frames[*it] <= panels[*it].min_frames) continue;
            --frames[*it];
            ++missing;
        }
    }
    return frames;
}

}  // namespace storyreel
