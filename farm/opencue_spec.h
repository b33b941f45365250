#pragma once
// The OpenCue engine: a job spec (cjsl-1.15) with a "shards" layer (range 1-N, chunk 1,
// one frame per shard: the command carries #IFRAME#) and an "assemble" layer depending on
// it layer-on-layer. storyreel writes the spec and prints how to submit it (cuebot's
// LaunchSpec); it does not talk to cuebot itself.

#include <filesystem>
#include <ostream>

#include "farm/farm_job.h"

namespace storyreel::farm {

/// Writes SPOOL/opencue-job.xml with libxml2; returns its path.
std::filesystem::path write_opencue_spec(const FarmJob& job);

/// Writes the spec and prints where it is and the command that submits it.
int submit_opencue_job(const FarmJob& job, std::ostream& out);

}  // namespace storyreel::farm
