#include "stages/movie_patch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
}

#include <spdlog/spdlog.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "media/segment_reader.h"
#include "pipeline/diagnostics.h"
#include "pipeline/json_number.h"
#include "stages/movie_freshness.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// Where each video frame of the movie lies, from its own index (sample table). Nothing
/// when the movie cannot be opened or its index is not one entry per frame.
template <class Entry>
std::optional<std::vector<Entry>> frame_entries(const fs::path& movie, std::size_t frame_count) {
    AVDictionary* options = nullptr;
    av_dict_set(&options, "ignore_editlist", "1", 0);  // the sample table as written
    AVFormatContext* raw = nullptr;
    const int opened = avformat_open_input(&raw, movie.c_str(), nullptr, &options);
    av_dict_free(&options);
    if (opened < 0) return std::nullopt;
    av::InputContextPtr input(raw);
    const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0) return std::nullopt;
    AVStream* stream = input->streams[index];
    if (static_cast<std::size_t>(avformat_index_get_entries_count(stream)) != frame_count)
        return std::nullopt;
    std::vector<Entry> entries(frame_count);
    for (std::size_t i = 0; i < frame_count; ++i) {
        const AVIndexEntry* entry = avformat_index_get_entry(stream, static_cast<int>(i));
        if (!entry || entry->pos < 0) return std::nullopt;
        entries[i] = Entry{entry->pos, entry->size};
    }
    return entries;
}

/// Where a shot's frames start in the movie: the frames of the shots before it.
std::vector<std::size_t> first_frames(const MoviePatchRequest& request) {
    std::vector<std::size_t> first;
    std::size_t frame = 0;
    for (const auto& shot : request.shots) {
        first.push_back(frame);
        frame += static_cast<std::size_t>(shot.frames);
    }
    return first;
}

}  // namespace

std::string rounded_megabytes(std::uint64_t bytes) {
    return std::to_string((bytes + (1 << 19)) >> 20) + " MB";
}

bool MoviePatch::candidate_on_disk(const BuildLog& log, const std::string& stage,
                                   const fs::path& path, const std::string& layout,
                                   std::string& why_not) {
    why_not.clear();
    const auto record = untouched_movie_record(log, stage, path);
    if (!record || !record->contains("blocks")) return false;  // nothing patchable on disk
    if (record->value("layout", "") != layout) {
        why_not = "shot lengths, audio, settings or metadata changed";
        return false;
    }
    return true;
}

std::optional<MoviePatch> MoviePatch::plan(const MoviePatchRequest& request, std::string& why_not) {
    if (!candidate_on_disk(*request.log, request.stage, request.path, request.layout, why_not))
        return std::nullopt;
    const auto record = untouched_movie_record(*request.log, request.stage, request.path);
    MoviePatch patch;
    patch.path_ = request.path;
    patch.shots_total_ = request.shots.size();
    patch.size_ = record->value("size_bytes", std::uint64_t{0});
    patch.new_size_ = patch.size_;
    patch.mtime_ = json_integer_or(*record, "mtime", 0, std::numeric_limits<std::int64_t>::min(),
                                   std::numeric_limits<std::int64_t>::max());
    const auto blocks = digests_from_hex(record->value("blocks", ""));
    const auto old_keys = record->value("shot_keys", std::vector<std::string>{});
    if (!blocks || blocks->size() != block_count(patch.size_) ||
        old_keys.size() != request.shots.size()) {
        why_not = "the build log's record of it is incomplete";
        return std::nullopt;
    }
    patch.blocks_ = *blocks;
    struct stat status {};
    if (::stat(request.path.c_str(), &status) != 0 || status.st_nlink != 1) {
        why_not = "it has other hard links, which keep their bytes";
        return std::nullopt;
    }
    std::size_t frame_count = 0;
    for (const auto& shot : request.shots) frame_count += static_cast<std::size_t>(shot.frames);
    const auto frames = frame_entries<FrameEntry>(request.path, frame_count);
    if (!frames) {
        why_not = "its index does not list one video sample per frame";
        return std::nullopt;
    }
    if (!patch.read_changed_shots(request, old_keys, why_not)) return std::nullopt;
    if (static_cast<std::size_t>(patch.frames_replaced_) * 2 > frame_count) {
        why_not = "most of its frames changed";
        return std::nullopt;
    }
    patch.dead_bytes_ = record->value("dead_bytes", std::uint64_t{0});
    if (!patch.plan_in_place(request, *frames) && !patch.plan_appended(request, *frames, why_not))
        return std::nullopt;
    if (!patch.rehash_touched_blocks(why_not)) return std::nullopt;
    patch.checksum_ = block_list_checksum(patch.blocks_);
    return patch;
}

bool MoviePatch::read_changed_shots(const MoviePatchRequest& request,
                                    const std::vector<std::string>& old_keys,
                                    std::string& why_not) {
    for (std::size_t s = 0; s < request.shots.size(); ++s) {
        const MovieShot& shot = request.shots[s];
        if (old_keys[s] == shot.key) continue;
        ++shots_replaced_;
        ShotDrawings drawings{s, packets_.size(), {}};
        SegmentReader reader(shot.segment, request.frame_time_base, true);
        auto packet = av::make_packet();
        std::int64_t held = 0, frames = 0;
        while (reader.next(packet.get(), held)) {
            drawings.held.push_back(held);
            frames += held;
            packets_.push_back(std::move(packet));
            packet = av::make_packet();
        }
        if (frames != shot.frames) {
            why_not = "the segment of " + shot.name + " does not hold the shot's frames";
            return false;
        }
        frames_replaced_ += frames;
        changed_.push_back(std::move(drawings));
    }
    return true;
}

bool MoviePatch::plan_in_place(const MoviePatchRequest& request,
                               const std::vector<FrameEntry>& frames) {
    const auto first = first_frames(request);
    std::vector<Write> writes;
    // A movie patched by appending has held frames sharing one drawing's bytes: those bytes
    // can be overwritten only when every frame that shares them gets the same new drawing.
    std::vector<bool> replaced(frames.size(), false);
    std::map<std::int64_t, const unsigned char*> written;
    for (const auto& drawings : changed_) {
        std::size_t frame = first[drawings.shot];
        for (std::size_t d = 0; d < drawings.held.size(); ++d) {
            const AVPacket& packet = *packets_[drawings.first + d];
            for (std::int64_t i = 0; i < drawings.held[d]; ++i, ++frame) {
                if (frames[frame].size != packet.size ||
                    static_cast<std::uint64_t>(frames[frame].offset) +
                            static_cast<std::uint64_t>(packet.size) >
                        size_)
                    return false;
                replaced[frame] = true;
                const auto [at, first_time] = written.emplace(frames[frame].offset, packet.data);
                if (!first_time && at->second != packet.data) return false;
                if (!first_time) continue;
                writes.push_back(Write{frames[frame].offset, packet.data,
                                       static_cast<std::size_t>(packet.size)});
            }
        }
    }
    for (std::size_t f = 0; f < frames.size(); ++f)
        if (!replaced[f] && written.count(frames[f].offset)) return false;
    for (const auto& write : writes) bytes_written_ += write.size;
    std::sort(writes.begin(), writes.end(),
              [](const Write& a, const Write& b) { return a.offset < b.offset; });
    writes_ = std::move(writes);
    kind_ = Kind::in_place;
    return true;
}

/// The writes in file order, and the checksum blocks they touch (every block from the
/// previous last one on when the file grows), sorted, each once.
std::vector<std::size_t> MoviePatch::touched_blocks(std::vector<Write>& all) {
    std::vector<std::size_t> touched;
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.offset < b.offset; });
    for (const auto& write : all) {
        const auto last = static_cast<std::size_t>(
            (static_cast<std::uint64_t>(write.offset) + write.size - 1) / kChecksumBlockSize);
        for (auto block = static_cast<std::size_t>(write.offset / kChecksumBlockSize);
             block <= last; ++block)
            if (touched.empty() || touched.back() < block) touched.push_back(block);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    return touched;
}

bool MoviePatch::rehash_touched_blocks(std::string& why_not) {
    std::vector<Write> all = writes_;
    if (retire_) all.push_back(*retire_);
    const std::vector<std::size_t> touched = touched_blocks(all);
    const std::vector<BlockDigest> old_blocks = blocks_;
    blocks_.resize(block_count(new_size_));
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why_not = std::string("it cannot be read back: ") + std::strerror(errno);
        return false;
    }
    std::atomic<int> read_error{0};
    std::atomic<bool> changed{false};
    tbb::enumerable_thread_specific<std::vector<unsigned char>> buffers(
        [] { return std::vector<unsigned char>(kChecksumBlockSize); });
    tbb::parallel_for(std::size_t{0}, touched.size(), [&](std::size_t t) {
        const std::size_t block = touched[t];
        const std::uint64_t start = std::uint64_t{block} * kChecksumBlockSize;
        const auto length = static_cast<std::size_t>(
            std::min<std::uint64_t>(kChecksumBlockSize, new_size_ - start));
        auto& buffer = buffers.local();
        if (start < size_) {  // the previous bytes of the block, as the last build wrote them
            const auto old_length = static_cast<std::size_t>(
                std::min<std::uint64_t>(kChecksumBlockSize, size_ - start));
            if (const int error = read_exactly(fd, buffer.data(), old_length, start))
                return read_error.store(error);
            if (hash_block(buffer.data(), old_length) != old_blocks[block])
                return changed.store(true);
        }
        // The first write reaching into the block, then every one starting in it.
        auto it = std::upper_bound(
            all.begin(), all.end(), static_cast<std::int64_t>(start),
            [](std::int64_t offset, const Write& write) { return offset < write.offset; });
        if (it != all.begin()) --it;
        for (; it != all.end() && static_cast<std::uint64_t>(it->offset) < start + length; ++it) {
            const std::uint64_t from =
                std::max<std::uint64_t>(start, static_cast<std::uint64_t>(it->offset));
            const std::uint64_t to = std::min<std::uint64_t>(
                start + length, static_cast<std::uint64_t>(it->offset) + it->size);
            if (from >= to) continue;
            std::memcpy(buffer.data() + (from - start),
                        it->data + (from - static_cast<std::uint64_t>(it->offset)),
                        static_cast<std::size_t>(to - from));
        }
        blocks_[block] = hash_block(buffer.data(), length);
    });
    ::close(fd);
    if (const int error = read_error.load()) {
        why_not = std::string("it cannot be read back: ") + std::strerror(error);
        return false;
    }
    if (changed.load()) {
        why_not = "its bytes differ from what the last build wrote";
        return false;
    }
    return true;
}

std::string MoviePatch::summary() const {
    return std::string(kind_ == Kind::in_place ? "patched in place: " : "patched by appending: ") +
           std::to_string(shots_replaced_) + " of " + std::to_string(shots_total_) +
           " shot(s) changed, " + std::to_string(frames_replaced_) + " frames, " +
           rounded_megabytes(bytes_written_) + " written" +
           (kind_ == Kind::appended
                ? ", " + rounded_megabytes(dead_bytes_) + " of dead space in the file"
                : "");
}

void MoviePatch::apply() {
    const std::string file = path_.string();
    struct stat status {};
    if (::stat(path_.c_str(), &status) != 0 ||
        static_cast<std::uint64_t>(status.st_size) != size_ || status.st_nlink != 1 ||
        modification_time(path_) != mtime_)
        throw BuildError({{file, 0, 0},
                          {},
                          "the movie changed on disk while the build ran; it was not patched",
                          "build again"});
    if (kind_ == Kind::in_place)
        apply_in_place();
    else
        apply_appended();
}

void MoviePatch::apply_in_place() {
    const std::string file = path_.string();
    const fs::path aside =
        path_.parent_path() / ("." + path_.stem().string() + ".patching-" +
                               std::to_string(::getpid()) + path_.extension().string());
    if (::rename(path_.c_str(), aside.c_str()) != 0)
        throw BuildError(
            {{file, 0, 0},
             {},
             std::string("cannot set the movie aside to patch it: ") + std::strerror(errno),
             "check that the output folder is writable"});
    const auto fail = [&](const std::string& what, int code) {
        ::unlink(aside.c_str());
        throw BuildError(
            {{file, 0, 0},
             {},
             what + ": " + std::strerror(code) +
                 "; the half-patched movie was removed, the next build assembles it in full",
             "check free space and that the output folder is writable"});
    };
    const int fd = ::open(aside.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("cannot open the movie to patch it", errno);
    for (const auto& write : writes_)
        if (const int code = write_exactly(fd, write.data, write.size, write.offset)) {
            ::close(fd);
            fail("cannot write the new frames", code);
        }
    if (::fdatasync(fd) != 0) {
        const int code = errno;
        ::close(fd);
        fail("cannot flush the new frames to disk", code);
    }
    if (::close(fd) != 0) fail("cannot close the patched movie", errno);
    if (::rename(aside.c_str(), path_.c_str()) != 0)
        fail("cannot put the patched movie back", errno);
    spdlog::debug("{}: {}", path_.filename().string(), summary());
}

}  // namespace storyreel
