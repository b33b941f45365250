#pragma once
// The encoded drawings of a shot's previous segment, for the rebuild of that shot.
//
// With an intra codec a drawing's packet depends only on the board's content and the
// settings. When one board of a shot is redrawn, the shot is rebuilt, but its other
// drawings need not be read, conformed and encoded again: their packets are in the
// segment the shot was last built into, still in the cache.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "media/av_handles.h"
#include "pipeline/artifact_cache.h"
#include "pipeline/shot_record.h"

namespace storyreel {

class PreviousDrawings {
  public:
    /// The previous segment's drawings, when `previous` (the shot's last build record) was
    /// built with the same `settings`, held plain stills only, and its segment is still in
    /// the cache (verified there). Otherwise nullopt.
    static std::optional<PreviousDrawings> find(const std::optional<ShotIngredients>& previous,
                                                const std::string& settings, ArtifactCache& cache);

    /// Whether a drawing with this board content is among them.
    bool has(const std::string& content_hash) const { return index_.count(content_hash) > 0; }

    /// A new reference to that drawing's packet (the segment is read the first time).
    /// Throws BuildError when the segment does not hold the drawings its record lists.
    av::PacketPtr packet(const std::string& content_hash, AVRational frame_time_base);

  private:
    std::filesystem::path segment_;
    std::size_t drawings_ = 0;                  ///< packets the segment must hold
    std::map<std::string, std::size_t> index_;  ///< content hash -> packet index
    std::vector<av::PacketPtr> packets_;        ///< read on first use
};

}  // namespace storyreel
