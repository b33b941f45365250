#pragma once
// A stage's cache key, derived rather than written by hand (Gaffer's hash() beside compute()).
//
// A stage's key is its type's name and key version, its validated params in canonical form
// (minus the params its type declares as making no bytes), the show settings its type
// reads and the versions of the libraries that make its bytes, as loaded at run time. It
// stays readable text, `encode v2 codec=h264 crf=18 lib.libav=7.1.1/avcodec-61.19.101`:
// build.json lists it, and `--explain` compares two of them token by token.
//
// Canonical params: keys sorted, nested maps flattened to dotted names (`pdf.dpi=200`),
// sequences written `[a,b]`, every scalar as the text the stage reads (quoting, flow or
// block style, comments and key order do not matter). Values are not reinterpreted
// (`20` and `20.0` stay two keys): knowing which spellings mean the same needs each
// param's type, and a false difference costs one rebuild where a false equality would
// reuse stale shots. Defaults are not written out: a change of a default, or of what a
// stage does with its params, is a new key version.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace storyreel {

struct ShowSettings;

/// The versions of the libraries that make a stage's bytes, by name ("libav", "x264",
/// "oiio"). The engine links none of them: stages/ probes what is loaded
/// (loaded_library_versions()); tests give their own.
class LibraryVersions {
  public:
    LibraryVersions() = default;
    explicit LibraryVersions(std::map<std::string, std::string> versions)
        : versions_(std::move(versions)) {}
    /// The version text of `library`; "unknown" when it was never given.
    std::string of(const std::string& library) const;

  private:
    std::map<std::string, std::string> versions_;
};

/// A show setting a stage reads beyond its params.
enum class ShowSetting { Resolution, FrameRate, Background };

/// What a stage type puts in its instances' keys, beside its name and params.
struct CacheKeyRecipe {
    /// Bumped whenever what the stage does with the same params changes its bytes (a new
    /// default, a fixed encoder setting): every cached result of the type is then rebuilt.
    int version = 1;
    /// Libraries whose versions enter the key (names as in LibraryVersions).
    std::vector<std::string> libraries;
    /// Params that make no bytes of the stage's own (a file name template): changing them
    /// never invalidates its cache. Documented params are checked: each one listed here
    /// must leave the key unchanged, every other one must change it.
    std::vector<std::string> params_outside_key;
    /// Show settings the stage reads beyond its params (`show.resolution=1920x1080`).
    std::vector<ShowSetting> show_settings;
};

/// Builds a key's text from canonical `name=value` tokens, sorted by name.
class CacheKey {
  public:
    CacheKey(std::string type, int version);

    /// Adds every param of `params` (a map, or undefined/null for none) except those named
    /// in `outside_key` (top-level names).
    CacheKey& params(const YAML::Node& params, const std::vector<std::string>& outside_key = {});
    /// Adds the named show settings as `show.NAME=value`.
    CacheKey& show(const ShowSettings& show, const std::vector<ShowSetting>& settings);
    /// Adds each named library's version as `lib.NAME=version`.
    CacheKey& libraries(const LibraryVersions& versions, const std::vector<std::string>& names);
    /// Adds each file's content hash as `content.NAME=xxh128:...`; throws BuildError naming
    /// a file that cannot be read.
    CacheKey& files(const std::map<std::string, std::filesystem::path>& files);
    /// Adds one token; `value` is quoted when it holds spaces or separators.
    CacheKey& add(const std::string& name, const std::string& value);

    /// `type vN name=value ...`
    std::string text() const;

  private:
    void add_node(const std::string& name, const YAML::Node& node);

    std::string type_;
    int version_;
    std::map<std::string, std::string> tokens_;
};

/// The key of a stage of a type declared by `recipe`, from its validated `params`.
std::string derive_cache_key(const std::string& type, const CacheKeyRecipe& recipe,
                             const YAML::Node& params, const ShowSettings* show,
                             const LibraryVersions& versions,
                             const std::map<std::string, std::filesystem::path>& files = {});

/// `settings` (keys, ` | ` between them) without the libraries' versions: what a published
/// cut compares, so a library update alone never makes a new version of an unchanged cut.
std::string without_library_versions(const std::string& settings);

/// What differs between two settings texts made of keys (` | ` between stages' keys), as
/// readable phrases: "encode crf 20 -> 18", "conform filter added (bicubic)". Empty when
/// the texts are equal; one generic phrase when they are not made of keys alike.
std::vector<std::string> describe_settings_change(const std::string& before,
                                                  const std::string& now);

}  // namespace storyreel
