#pragma once
// What a shot's encoded segment is made from, its content key, and why it was rebuilt.
//
// Like ninja's build log, storyreel remembers what each (stage, shot) was last built
// from; when the key changes it compares the two records to say why ("p003 image
// changed", "p002 hold 24 -> 30 frames", "encode settings changed").

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace storyreel {

class FileHashMemo;

struct PanelIngredient {
    std::string name;
    std::string content_hash;  ///< hash of the board file
    std::int64_t frames = 0;
    /// Everything else that draws the panel: burn-in text, camera move, transitions and
    /// the neighbours they mix with (empty for a plain held still).
    std::string look;
};

/// Everything that determines a segment's bytes.
struct ShotIngredients {
    std::string settings;  ///< the output stage's and its upstream stages' fingerprints
    std::vector<PanelIngredient> panels;

    /// Content key: a hash of everything above (names excluded: a shot that moves or is
    /// renamed but draws the same reuses its segment).
    std::string key() const;
    nlohmann::json to_json() const;
    static ShotIngredients from_json(const nlohmann::json& json);
};

/// Reasons a shot built from `previous` must be rebuilt as `now` (empty when equal).
std::vector<std::string> explain_rebuild(const ShotIngredients& previous,
                                         const ShotIngredients& now);

/// What happened to one shot for one output stage.
struct ShotDecision {
    std::string stage;
    std::string shot;  ///< "sq010/sh020"
    std::string key;
    bool reused = false;
    std::vector<std::string> reasons;  ///< why it was rebuilt (or "in cache")
};

/// Remembers, per project and stage, what each shot was last built from. Stored as one
/// small JSON file per shot, written atomically.
class BuildLog {
  public:
    BuildLog(std::filesystem::path folder);

    std::optional<ShotIngredients> last(const std::string& stage, const std::string& shot) const;
    void record(const std::string& stage, const std::string& shot,
                const ShotIngredients& ingredients);

    /// What a stage last wrote at `output` (a movie's path): its key, size, mtime,
    /// checksum. Lets a rebuild leave an up-to-date movie alone instead of re-assembling it.
    /// Kept per path, so output folders sharing a cache do not overwrite each other's.
    std::optional<nlohmann::json> last_output(const std::string& stage,
                                              const std::filesystem::path& output) const;
    void record_output(const std::string& stage, const std::filesystem::path& output,
                       const nlohmann::json& record);

  private:
    std::filesystem::path file_for(const std::string& stage, const std::string& shot) const;
    std::filesystem::path output_file_for(const std::string& stage,
                                          const std::filesystem::path& output) const;
    std::filesystem::path folder_;
};

/// Content hashes of input files, computed once per build (in parallel).
class InputHashes {
  public:
    /// Hashes every file (or takes its hash from `memo` when it was not written since);
    /// throws BuildError naming a file that cannot be read.
    explicit InputHashes(const std::vector<std::filesystem::path>& files,
                         FileHashMemo* memo = nullptr);
    const std::string& of(const std::filesystem::path& file) const;
    const std::map<std::filesystem::path, std::string>& all() const { return hashes_; }

  private:
    std::map<std::filesystem::path, std::string> hashes_;
};

}  // namespace storyreel
