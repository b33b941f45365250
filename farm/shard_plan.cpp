#include "farm/shard_plan.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>

#include "pipeline/checked_number.h"

namespace storyreel::farm {

std::vector<ShotCost> estimate_shot_costs(const CutPlan& plan, const CostModel& model) {
    std::vector<ShotCost> costs;
    std::map<std::string, std::size_t> index_of;
    std::map<std::string, std::set<std::string>> images_of;
    for (const auto& unit : plan.units)
        for (const auto& span : unit.shots) {
            const std::string name = span.name();
            auto [at, added] = index_of.emplace(name, costs.size());
            if (!added) continue;
            ShotCost cost;
            cost.shot = name;
            for (std::size_t i = 0; i < span.slot_count; ++i) {
                const PanelSlot& slot = plan.slots[span.first_slot + i];
                images_of[name].insert(slot.panel->board.string());
                cost.frames += slot.frames();
            }
            cost.distinct_images = images_of[name].size();
            cost.cost = model.per_distinct_image * static_cast<double>(cost.distinct_images) +
                        model.per_frame * static_cast<double>(cost.frames);
            costs.push_back(std::move(cost));
        }
    return costs;
}

std::vector<Shard> split_into_shards(const std::vector<ShotCost>& shots, std::size_t count) {
    count = std::min(std::max<std::size_t>(count, 1), shots.size());
    std::vector<std::size_t> order(shots.size());
    std::iota(order.begin(), order.end(), 0);
    // Longest processing time first; ties keep cut order, so the split is deterministic.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return shots[a].cost > shots[b].cost; });
    std::vector<Shard> shards(count);
    std::vector<std::vector<std::size_t>> members(count);
    for (const std::size_t shot : order) {
        std::size_t lightest = 0;
        for (std::size_t i = 1; i < count; ++i)
            if (shards[i].cost < shards[lightest].cost) lightest = i;
        shards[lightest].cost += shots[shot].cost;
        shards[lightest].frames += shots[shot].frames;
        shards[lightest].distinct_images += shots[shot].distinct_images;
        members[lightest].push_back(shot);
    }
    for (std::size_t i = 0; i < count; ++i) {
        std::sort(members[i].begin(), members[i].end());
        for (const std::size_t shot : members[i]) shards[i].shots.push_back(shots[shot].shot);
    }
    return shards;
}

bool parse_shard_spec(const std::string& text, std::size_t& index, std::size_t& count) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return false;
    constexpr std::int64_t kMostShards = 1'000'000;
    const auto n = parse_integer(std::string_view(text).substr(slash + 1), 1, kMostShards);
    const auto i = n ? parse_integer(std::string_view(text).substr(0, slash), 1, *n) : std::nullopt;
    if (!i) return false;
    index = static_cast<std::size_t>(*i);
    count = static_cast<std::size_t>(*n);
    return true;
}

}  // namespace storyreel::farm
