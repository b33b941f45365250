// MoviePatch by appending: the changed shots' drawings in a new `mdat` and a new `moov`
// after the movie, then the old `moov` retired to `free` space (movie_patch.h).

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

#include "pipeline/diagnostics.h"
#include "stages/mov_boxes.h"
#include "stages/movie_patch.h"

namespace storyreel {

namespace {

/// Test seam for the kill tests: when STORYREEL_PATCH_STOP_AT names `point` ("appended":
/// the new data and header are on disk, the old header not yet retired; "retired"), the
/// process stops itself (SIGSTOP) there so a test can kill it at exactly that moment.
void patch_stop_point(const char* point) {
    const char* wanted = std::getenv("STORYREEL_PATCH_STOP_AT");
    if (wanted && std::strcmp(wanted, point) == 0) ::raise(SIGSTOP);
}

constexpr unsigned char kFreeType[4] = {'f', 'r', 'e', 'e'};

std::string percent(double share) {
    return std::to_string(static_cast<int>(share * 100 + 0.5)) + " %";
}

/// The movie's one moov box, where it is and its bytes; says why not when there is none,
/// several, or it cannot be read.
struct MoovBytes {
    MovBox box;
    std::vector<unsigned char> bytes;
};

std::optional<MoovBytes> read_the_moov(const std::filesystem::path& path, std::uint64_t size,
                                       std::string& why_not) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why_not = std::string("it cannot be read back: ") + std::strerror(errno);
        return std::nullopt;
    }
    auto boxes = read_top_level_boxes(fd, size, why_not);
    const MovBox* moov = nullptr;
    if (boxes)
        for (const auto& box : *boxes)
            if (box.is("moov")) {
                if (moov) why_not = "it has several moov boxes";
                moov = &box;
            }
    if (boxes && !moov) why_not = "it has no moov box";
    std::optional<MoovBytes> result;
    if (boxes && moov && why_not.empty()) {
        result.emplace(
            MoovBytes{*moov, std::vector<unsigned char>(static_cast<std::size_t>(moov->size))});
        if (const int error =
                read_exactly(fd, result->bytes.data(), result->bytes.size(), moov->offset))
            why_not = std::string("it cannot be read back: ") + std::strerror(error);
    }
    ::close(fd);
    if (!why_not.empty()) return std::nullopt;
    return result;
}

}  // namespace

bool MoviePatch::plan_appended(const MoviePatchRequest& request,
                               const std::vector<FrameEntry>& frames, std::string& why_not) {
    const auto old_moov = read_the_moov(path_, size_, why_not);
    if (!old_moov) return false;
    const MovBox* moov = &old_moov->box;

    // The new drawings, each once, in a new mdat at the end; their frames point at them.
    std::uint64_t payload = 0;
    for (std::size_t p = 0; p < packets_.size(); ++p)
        payload += static_cast<std::uint64_t>(packets_[p]->size);
    std::vector<unsigned char> mdat_header = mov_box_header("mdat", payload);
    SampleLocations samples;
    for (const auto& frame : frames) {
        samples.offsets.push_back(static_cast<std::uint64_t>(frame.offset));
        samples.sizes.push_back(static_cast<std::uint32_t>(frame.size));
    }
    std::vector<bool> replaced(frames.size(), false);
    std::vector<Write> writes{Write{static_cast<std::int64_t>(size_), nullptr, mdat_header.size()}};
    std::uint64_t cursor = size_ + mdat_header.size();
    std::size_t first = 0, shot = 0;
    for (const auto& drawings : changed_) {
        for (; shot < drawings.shot; ++shot)
            first += static_cast<std::size_t>(request.shots[shot].frames);
        std::size_t frame = first;
        for (std::size_t d = 0; d < drawings.held.size(); ++d) {
            const AVPacket& packet = *packets_[drawings.first + d];
            writes.push_back(Write{static_cast<std::int64_t>(cursor), packet.data,
                                   static_cast<std::size_t>(packet.size)});
            for (std::int64_t i = 0; i < drawings.held[d]; ++i, ++frame) {
                samples.offsets[frame] = cursor;
                samples.sizes[frame] = static_cast<std::uint32_t>(packet.size);
                replaced[frame] = true;
            }
            cursor += static_cast<std::uint64_t>(packet.size);
        }
    }
    auto new_moov = moov_with_video_samples(old_moov->bytes, samples, why_not);
    if (!new_moov) return false;
    writes.push_back(Write{static_cast<std::int64_t>(cursor), nullptr, new_moov->size()});
    new_size_ = cursor + new_moov->size();

    // Dead space: the retired moov, and old frames' bytes no frame points at any more.
    std::map<std::int64_t, int> old_frames;
    std::set<std::int64_t> still_used;
    for (std::size_t f = 0; f < frames.size(); ++f) {
        old_frames[frames[f].offset] = frames[f].size;
        if (!replaced[f]) still_used.insert(frames[f].offset);
    }
    dead_bytes_ += moov->size;  // on top of the previous patches'

    for (const auto& [offset, size] : old_frames)
        if (!still_used.count(offset)) dead_bytes_ += static_cast<std::uint64_t>(size);
    if (static_cast<double>(dead_bytes_) > request.compact_above * static_cast<double>(new_size_)) {
        why_not = "compacted: a patch would leave " + rounded_megabytes(dead_bytes_) +
                  " of dead space, " +
                  percent(static_cast<double>(dead_bytes_) / static_cast<double>(new_size_)) +
                  " of the file, over compact_above (" + percent(request.compact_above) + ")";
        return false;
    }
    owned_.push_back(std::move(mdat_header));
    writes.front().data = owned_.back().data();
    owned_.push_back(std::move(*new_moov));
    writes.back().data = owned_.back().data();
    writes_ = std::move(writes);
    retire_ = Write{static_cast<std::int64_t>(moov->offset + 4), kFreeType, sizeof kFreeType};
    bytes_written_ = new_size_ - size_ + sizeof kFreeType;
    kind_ = Kind::appended;
    return true;
}

void MoviePatch::apply_appended() {
    const std::string file = path_.string();
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        throw BuildError({{file, 0, 0},
                          {},
                          std::string("cannot open the movie to patch it: ") + std::strerror(errno),
                          "check that the output folder is writable"});
    // Until the old moov is retired, players read the previous movie: on failure, the
    // appended bytes are cut off again and it is as the last build left it.
    const auto fail = [&](const std::string& what, int code) {
        if (::ftruncate(fd, static_cast<off_t>(size_)) == 0) ::fdatasync(fd);
        ::close(fd);
        throw BuildError(
            {{file, 0, 0},
             {},
             what + ": " + std::strerror(code) +
                 "; the movie is still the previous build's, the next build assembles it in full",
             "check free space and that the output folder is writable"});
    };
    for (const auto& write : writes_)
        if (const int code =
                write_exactly(fd, write.data, write.size, static_cast<std::uint64_t>(write.offset)))
            fail("cannot append the new frames", code);
    if (::fdatasync(fd) != 0) fail("cannot flush the new frames to disk", errno);
    patch_stop_point("appended");
    if (const int code = write_exactly(fd, retire_->data, retire_->size,
                                       static_cast<std::uint64_t>(retire_->offset)))
        fail("cannot retire the previous header", code);
    if (::fdatasync(fd) != 0) {
        const int code = errno;
        ::close(fd);
        throw BuildError({{file, 0, 0},
                          {},
                          std::string("cannot flush the patched movie to disk: ") +
                              std::strerror(code) + "; the next build assembles it in full",
                          "check the disk"});
    }
    ::close(fd);
    patch_stop_point("retired");
    spdlog::debug("{}: {}", path_.filename().string(), summary());
}

}  // namespace storyreel
