#pragma once
// The printable boards of one output unit, written whole only when they must be.
//
// A feature's worksheet is some 330 pages and 50 MB of board JPEGs; a redrawn board changes
// one page. Each page has a key (report::page_keys: its panels' text and images, its number
// and the page count), and the build log remembers the keys and header dates of the file it
// wrote. The next build:
//   - keeps the file when no key changed and it is untouched (same size and modification
//     time as recorded);
//   - updates it when some pages changed but not their number: the changed pages are drawn
//     alone with Cairo and appended to a copy of the previous file as an incremental update
//     (report/pdf_update.h). The copy is hashed as it is made and checked against the
//     recorded checksum, so a file changed behind the log's back is never updated;
//   - writes it whole otherwise: no previous file, pages added or removed, more than half
//     of them changed, or the replaced pages (dead bytes) would exceed a quarter of the file.
// Every way, the file appears under its final name at commit, complete.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/atomic_file.h"
#include "pipeline/shot_record.h"
#include "pipeline/stage.h"
#include "report/boards_pdf.h"

namespace storyreel {

class BoardsPdfFile {
  public:
    /// The worksheet at `final_path`, written by `stage` (the log keeps its pages by stage
    /// and path).
    BoardsPdfFile(BuildLog& log, std::string stage, std::filesystem::path final_path);

    /// Makes the new file under a temporary name (or keeps the previous one) and fills
    /// `record`'s size and checksum. Pages drawn now say `now` in their header. Throws
    /// BuildError.
    void write(const std::vector<report::PrintPanel>& panels, const report::PrintHeader& header,
               const report::BoardsPdfLayout& layout, const std::string& now, OutputRecord& record);

    /// Renames the new file into place and remembers its pages in the log.
    void commit();

    /// What write() did, for the log: "kept", "updated: 1 of 334 pages", "written whole".
    const std::string& summary() const { return summary_; }
    int pages_drawn() const { return pages_drawn_; }

  private:
    struct Previous {
        std::uint64_t size_bytes = 0;
        std::string checksum;
        std::vector<std::string> keys, dates;
        std::uint64_t dead_bytes = 0;
    };
    std::optional<Previous> previous() const;
    bool update(const Previous& previous, const std::vector<int>& changed, const std::string& pages,
                std::string& why_not);

    BuildLog& log_;
    std::string stage_;
    std::filesystem::path path_;
    std::optional<PendingFile> file_;
    nlohmann::json remembered_;  ///< for the log once committed
    std::string summary_;
    int pages_drawn_ = 0;
};

/// Copies `from` to `to` followed by `appended`, hashing as it goes; nothing when `from`'s
/// bytes do not hash to `expected` (then `to` is left half-written for the caller to
/// discard). Returns the new file's "xxh128:" checksum. Throws BuildError on I/O errors.
std::optional<std::string> copy_and_append(const std::filesystem::path& from,
                                           const std::filesystem::path& to,
                                           const std::string& appended,
                                           const std::string& expected);

}  // namespace storyreel
