#include "stages/boards_pdf_file.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "pipeline/content_hash.h"
#include "pipeline/diagnostics.h"
#include "pipeline/json_number.h"
#include "report/pdf_update.h"
#include "stages/movie_freshness.h"
#include "stages/movie_patch.h"

namespace storyreel {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// Replaced pages may take up to this share of the file before it is written whole again.
constexpr double kCompactAbove = 0.25;

[[noreturn]] void io_error(const fs::path& path, const std::string& what) {
    throw BuildError({{path.string(), 0, 0},
                      "boards PDF",
                      what + ": " + std::strerror(errno),
                      "check free space and permissions in the output folder"});
}

std::vector<std::string> strings(const json& record, const char* key) {
    std::vector<std::string> values;
    const auto found = record.find(key);
    if (found == record.end() || !found->is_array()) return values;
    for (const auto& value : *found)
        if (value.is_string()) values.push_back(value.get<std::string>());
    return values;
}

}  // namespace

std::optional<std::string> copy_and_append(const fs::path& from, const fs::path& to,
                                           const std::string& appended,
                                           const std::string& expected) {
    std::ifstream in(from, std::ios::binary);
    if (!in) io_error(from, "cannot read the previous boards PDF");
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!out) io_error(to, "cannot create the boards PDF");
    StreamHasher hasher;
    std::vector<char> buffer(std::size_t{4} << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto count = static_cast<std::size_t>(in.gcount());
        hasher.add(buffer.data(), count);
        out.write(buffer.data(), static_cast<std::streamsize>(count));
    }
    if (in.bad()) io_error(from, "cannot read the previous boards PDF");
    if (hasher.digest() != expected) return std::nullopt;
    hasher.add(appended.data(), appended.size());
    out.write(appended.data(), static_cast<std::streamsize>(appended.size()));
    out.close();
    if (!out) io_error(to, "cannot write the boards PDF");
    return hasher.digest();
}

BoardsPdfFile::BoardsPdfFile(BuildLog& log, std::string stage, fs::path final_path)
    : log_(log), stage_(std::move(stage)), path_(std::move(final_path)) {}

std::optional<BoardsPdfFile::Previous> BoardsPdfFile::previous() const {
    const auto record = untouched_movie_record(log_, stage_, path_);
    if (!record) return std::nullopt;
    Previous previous;
    previous.size_bytes = record->value("size_bytes", std::uint64_t{0});
    previous.checksum = record->value("checksum", "");
    previous.keys = strings(*record, "pages");
    previous.dates = strings(*record, "dates");
    previous.dead_bytes = static_cast<std::uint64_t>(
        json_integer_or(*record, "dead_bytes", 0, 0, std::numeric_limits<std::int64_t>::max()));
    if (previous.keys.empty() || previous.keys.size() != previous.dates.size()) return std::nullopt;
    return previous;
}

bool BoardsPdfFile::update(const Previous& previous, const std::vector<int>& changed,
                           const std::string& pages, std::string& why_not) {
    std::optional<std::string> appended;
    try {
        const report::pdf::FileSource source(path_);
        appended = report::pdf::page_update(source, pages, changed, why_not);
    } catch (const BuildError& error) {  // gone or unreadable since previous() looked
        why_not = error.diagnostic().message;
    }
    if (!appended) return false;
    const std::uint64_t size = previous.size_bytes + appended->size();
    const std::uint64_t dead = previous.dead_bytes + appended->size();
    if (static_cast<double>(dead) > kCompactAbove * static_cast<double>(size)) {
        why_not = "replaced pages would take " + rounded_megabytes(dead) + " of " +
                  rounded_megabytes(size) + " (compacted)";
        return false;
    }
    file_.emplace(path_);
    std::optional<std::string> checksum;
    try {
        checksum = copy_and_append(path_, file_->temporary_path(), *appended, previous.checksum);
    } catch (const BuildError& error) {  // writing it whole says so again if it must fail
        why_not = error.diagnostic().message;
    }
    if (!checksum) {
        file_.reset();
        if (why_not.empty()) why_not = "the previous file changed since the build that wrote it";
        return false;
    }
    remembered_["checksum"] = *checksum;
    remembered_["dead_bytes"] = dead;
    summary_ = "updated: " + std::to_string(changed.size()) + " of " +
               std::to_string(previous.keys.size()) + " pages drawn, " +
               std::to_string((appended->size() + 1023) / 1024) + " KB appended";
    return true;
}

void BoardsPdfFile::write(const std::vector<report::PrintPanel>& panels,
                          const report::PrintHeader& header, const report::BoardsPdfLayout& layout,
                          const std::string& now, OutputRecord& record) {
    const std::vector<std::string> keys = report::page_keys(panels, header, layout);
    const std::optional<Previous> previous = this->previous();
    std::vector<std::string> dates(keys.size(), now);
    std::vector<int> changed;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (previous && i < previous->keys.size() && previous->keys[i] == keys[i])
            dates[i] = previous->dates[i];
        else
            changed.push_back(static_cast<int>(i));
    }
    remembered_ = {{"pages", keys}, {"dates", dates}};
    if (previous && changed.empty()) {  // nothing to draw: the file stays as it is
        record.size_bytes = previous->size_bytes;
        record.checksum = previous->checksum;
        summary_ = "kept (no page changed)";
        remembered_.clear();
        return;
    }
    std::string why_not = previous ? "" : "no previous file";
    if (previous && previous->keys.size() != keys.size())
        why_not =
            "pages " + std::to_string(previous->keys.size()) + " -> " + std::to_string(keys.size());
    else if (previous && changed.size() * 2 > keys.size())
        why_not = std::to_string(changed.size()) + " of " + std::to_string(keys.size()) +
                  " pages changed";
    else if (previous &&
             update(*previous, changed,
                    report::boards_pdf_pages(path_, panels, header, layout, dates, changed),
                    why_not)) {
        pages_drawn_ = static_cast<int>(changed.size());
        record.size_bytes = fs::file_size(file_->temporary_path());
        record.checksum = remembered_["checksum"];
        return;
    }
    file_.emplace(path_);
    report::write_boards_pdf(file_->temporary_path(), panels, header, layout, dates);
    pages_drawn_ = static_cast<int>(keys.size());
    record.size_bytes = fs::file_size(file_->temporary_path());
    record.checksum = hash_file(file_->temporary_path());
    remembered_["checksum"] = record.checksum;
    remembered_["dead_bytes"] = 0;
    summary_ = "written whole" + (why_not.empty() ? "" : " (" + why_not + ")");
}

void BoardsPdfFile::commit() {
    if (!file_) return;  // kept
    file_->commit();
    file_.reset();
    try {
        remembered_["path"] = path_.string();
        remembered_["size_bytes"] = fs::file_size(path_);
        remembered_["mtime"] = modification_time(path_);
        log_.record_output(stage_, path_, remembered_);
    } catch (const std::exception&) {
        // Without the record the next build writes the file whole; nothing is lost.
    }
}

}  // namespace storyreel
