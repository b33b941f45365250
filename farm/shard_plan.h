#pragma once
// How a build splits into shard tasks: groups of shots balanced by an estimate of what
// they cost to build.
//
// A shard encodes its shots into the shared shot cache; the assemble task then finds
// every shot there and only stream-copies segments into movies. Cost is estimated from
// what dominates a shot's build: reading and conforming each distinct board (an image
// held or repeated costs once) and writing its frames. The split is deterministic: every
// task computes the same shards from the same project, so a shard task needs only its
// index ("--shard 3/8") on its command line.

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"

namespace storyreel::farm {

/// One shot of the plan and its estimated cost.
struct ShotCost {
    std::string shot;  ///< "sq010/sh020", as --only takes it
    std::size_t distinct_images = 0;
    std::int64_t frames = 0;
    double cost = 0;
};

/// A group of shots built by one task.
struct Shard {
    std::vector<std::string> shots;  ///< in cut order
    std::size_t distinct_images = 0;
    std::int64_t frames = 0;
    double cost = 0;
};

/// Relative weights of the cost model (a distinct board = 1).
struct CostModel {
    double per_distinct_image = 1.0;
    double per_frame = 0.02;  ///< intra codecs copy held frames; H.264 encodes each one
};

/// Every shot of the plan (each counted once, even if several units hold it), in cut order.
std::vector<ShotCost> estimate_shot_costs(const CutPlan& plan, const CostModel& model = {});

/// Splits the shots into at most `count` shards (fewer when there are fewer shots), the
/// most expensive shot first onto the least loaded shard. Never returns an empty shard.
std::vector<Shard> split_into_shards(const std::vector<ShotCost>& shots, std::size_t count);

/// Parses "I/N" (1 <= I <= N); nullopt-like: returns false when malformed.
bool parse_shard_spec(const std::string& text, std::size_t& index, std::size_t& count);

}  // namespace storyreel::farm
