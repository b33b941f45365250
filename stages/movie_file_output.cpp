#include "stages/movie_file_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

#include <spdlog/spdlog.h>

#include "pipeline/block_checksum.h"
#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

constexpr std::size_t kAlignment = 4096;         // O_DIRECT: offsets, sizes and memory
constexpr std::size_t kBlockSize = kChecksumBlockSize;  // one write to disk, one hashed block
constexpr std::size_t kBlocksInFlight = 4;       // memory: (4 + 1) x 8 MiB
constexpr int kAvioBufferSize = 64 << 10;        // libav's buffer for small header writes
constexpr std::size_t kMaxRecordedRewrites = 1u << 20;  // bytes; beyond that, hash afterwards

/// Final value of every byte the muxer wrote more than once.
using Rewrites = std::map<std::int64_t, std::uint8_t>;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
    throw BuildError({{path.string(), 0, 0}, {}, what + ": " + std::strerror(error),
                      "check free space in the output folder and that it is writable"});
}

/// An AVIOContext calling back into `Sink::write` / `Sink::seek`.
template <class Sink>
AVIOContext* make_avio(Sink* sink) {
    auto* buffer = static_cast<unsigned char*>(av_malloc(kAvioBufferSize));
    if (!buffer) throw std::bad_alloc();
    AVIOContext* context = avio_alloc_context(
        buffer, kAvioBufferSize, 1, sink, nullptr,
        [](void* opaque, std::uint8_t* data, int size) {
            return static_cast<Sink*>(opaque)->write(data, size);
        },
        [](void* opaque, std::int64_t offset, int whence) {
            return static_cast<Sink*>(opaque)->seek(offset, whence);
        });
    if (!context) {
        av_free(buffer);
        throw std::bad_alloc();
    }
    context->seekable = AVIO_SEEKABLE_NORMAL;
    context->direct = 1;  // packets go straight to write(), not through libav's buffer
    return context;
}

struct AvioDeleter {
    void operator()(AVIOContext* context) const {
        if (!context) return;
        av_freep(&context->buffer);
        avio_context_free(&context);
    }
};
using AvioPtr = std::unique_ptr<AVIOContext, AvioDeleter>;

/// Seek arithmetic shared by both passes.
std::int64_t seek_target(std::int64_t position, std::int64_t end, std::int64_t offset, int whence) {
    switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET: return offset;
    case SEEK_CUR: return position + offset;
    case SEEK_END: return end + offset;
    case AVSEEK_SIZE: return end;
    default: return AVERROR(EINVAL);
    }
}

/// Pass one: keeps no bytes, only the final value of each byte written twice.
class RewriteRecorder {
public:
    int write(const std::uint8_t* data, int size) {
        for (std::int64_t at = position_; at < std::min(position_ + size, end_); ++at)
            if (rewrites_.size() < kMaxRecordedRewrites) rewrites_[at] = data[at - position_];
            else overflow_ = true;
        position_ += size;
        end_ = std::max(end_, position_);
        return size;
    }
    std::int64_t seek(std::int64_t offset, int whence) {
        const std::int64_t target = seek_target(position_, end_, offset, whence);
        if ((whence & ~AVSEEK_FORCE) != AVSEEK_SIZE && target >= 0) position_ = target;
        return target;
    }
    /// Nothing when too much was rewritten to keep.
    std::optional<Rewrites> rewrites() && {
        if (overflow_) return std::nullopt;
        return std::move(rewrites_);
    }

private:
    std::int64_t position_ = 0;
    std::int64_t end_ = 0;
    Rewrites rewrites_;
    bool overflow_ = false;
};

struct AlignedBuffer {
    void operator()(std::uint8_t* data) const { std::free(data); }
};
using Block = std::unique_ptr<std::uint8_t, AlignedBuffer>;

Block make_block() {
    void* data = nullptr;
    if (posix_memalign(&data, kAlignment, kBlockSize) != 0) throw std::bad_alloc();
    return Block(static_cast<std::uint8_t*>(data));
}

/// Pass two: the bytes, in aligned blocks written and hashed in order on a writer thread.
class DirectFileWriter {
public:
    DirectFileWriter(std::filesystem::path path, std::optional<Rewrites> expected, bool direct_io)
        : path_(std::move(path)),
          expected_(expected ? std::move(*expected) : Rewrites{}),
          hash_valid_(expected.has_value()) {
        direct_ = direct_io;
        if (direct_) fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_DIRECT, 0644);
        if (!direct_ || (fd_ < 0 && errno == EINVAL)) {  // a filesystem without O_DIRECT
            direct_ = false;
            fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        }
        if (fd_ < 0) fail(path_, "cannot create the movie", errno);
        for (std::size_t i = 0; i < kBlocksInFlight; ++i) free_.push_back(make_block());
        current_ = make_block();
        thread_ = std::thread([this] { write_blocks(); });
    }

    ~DirectFileWriter() {
        stop_thread();
        if (fd_ >= 0) ::close(fd_);
    }

    int write(const std::uint8_t* data, int size) {
        if (const int error = error_.load()) return AVERROR(error);
        std::int64_t at = position_;
        std::size_t left = static_cast<std::size_t>(size);
        if (at > end_) append_zeros(at - end_);
        if (at < end_) {  // the muxer went back: a header size, an index
            const std::size_t back = static_cast<std::size_t>(std::min<std::int64_t>(left, end_ - at));
            overwrite(at, data, back);
            at += static_cast<std::int64_t>(back);
            data += back;
            left -= back;
        }
        if (left > 0) append(data, left);
        position_ += size;
        return size;
    }

    std::int64_t seek(std::int64_t offset, int whence) {
        const std::int64_t target = seek_target(position_, end_, offset, whence);
        if ((whence & ~AVSEEK_FORCE) != AVSEEK_SIZE && target >= 0) position_ = target;
        return target;
    }

    /// Writes what is left; checksums the file.
    WrittenMovie finish() {
        if (end_ > block_start_) submit(std::move(current_), static_cast<std::size_t>(end_ - block_start_));
        stop_thread();
        if (const int error = error_.load()) fail(path_, "cannot write the movie", error);
        if (::ftruncate(fd_, end_) != 0) fail(path_, "cannot size the movie", errno);
        apply_unconfirmed_rewrites();
        apply_late_writes();
        if (::close(std::exchange(fd_, -1)) != 0) fail(path_, "cannot close the movie", errno);
        if (!hash_valid_) blocks_ = hash_file_blocks(path_);
        return WrittenMovie{block_list_checksum(blocks_), blocks_, hash_valid_, direct_};
    }

private:
    struct PendingBlock {
        Block data;
        std::int64_t offset;
        std::size_t length;
    };

    void append(const std::uint8_t* data, std::size_t size) {
        while (size > 0) {
            const std::size_t in_block = static_cast<std::size_t>(end_ - block_start_);
            const std::size_t take = std::min(size, kBlockSize - in_block);
            std::memcpy(current_.get() + in_block, data, take);
            note_muxer_bytes(end_, data, take);
            end_ += static_cast<std::int64_t>(take);
            data += take;
            size -= take;
            if (in_block + take == kBlockSize) {
                submit(std::move(current_), kBlockSize);
                current_ = take_free_block();
                block_start_ += static_cast<std::int64_t>(kBlockSize);
            }
        }
    }

    void append_zeros(std::int64_t count) {
        const std::vector<std::uint8_t> zeros(static_cast<std::size_t>(count), 0);
        append(zeros.data(), zeros.size());
    }

    /// Bytes below end_: into the block still in memory, or remembered for after the end.
    void overwrite(std::int64_t at, const std::uint8_t* data, std::size_t size) {
        note_muxer_bytes(at, data, size);
        for (std::size_t i = 0; i < size; ++i) {
            const std::int64_t offset = at + static_cast<std::int64_t>(i);
            if (offset >= block_start_) {
                current_.get()[offset - block_start_] = data[i];
            } else if (!expected_.count(offset)) {
                late_writes_.emplace_back(offset, data[i]);  // not foreseen: hash afterwards
                hash_valid_ = false;
            }  // foreseen bytes are already in place; apply_unconfirmed_rewrites checks them
        }
    }

    /// Remembers the last value the muxer gave each foreseen byte.
    void note_muxer_bytes(std::int64_t at, const std::uint8_t* data, std::size_t size) {
        for (auto it = expected_.lower_bound(at);
             it != expected_.end() && it->first < at + static_cast<std::int64_t>(size); ++it)
            muxer_values_[it->first] = data[it->first - at];
    }

    /// Puts the foreseen final bytes in, then queues the block for the writer thread.
    void submit(Block data, std::size_t length) {
        const std::int64_t end = block_start_ + static_cast<std::int64_t>(length);
        for (auto it = expected_.lower_bound(block_start_); it != expected_.end() && it->first < end; ++it)
            data.get()[it->first - block_start_] = it->second;
        std::lock_guard lock(mutex_);
        queue_.push_back(PendingBlock{std::move(data), block_start_, length});
        changed_.notify_all();
    }

    Block take_free_block() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !free_.empty(); });
        Block block = std::move(free_.front());
        free_.pop_front();
        return block;
    }

    void write_blocks() {
        while (true) {
            PendingBlock block;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;
                block = std::move(queue_.front());
                queue_.pop_front();
            }
            blocks_.push_back(hash_block(block.data.get(), block.length));
            if (!error_.load()) write_block(block);
            std::lock_guard lock(mutex_);
            free_.push_back(std::move(block.data));
            changed_.notify_all();
        }
    }

    void write_block(const PendingBlock& block) {
        // O_DIRECT wants whole sectors: the last block is padded, the file truncated after.
        std::size_t length = block.length;
        if (direct_) {
            length = (length + kAlignment - 1) / kAlignment * kAlignment;
            std::memset(block.data.get() + block.length, 0, length - block.length);
        }
        std::size_t done = 0;
        while (done < length) {
            const ssize_t n = ::pwrite(fd_, block.data.get() + done, length - done,
                                       block.offset + static_cast<std::int64_t>(done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EINVAL && direct_) {  // the filesystem refused O_DIRECT
                direct_ = false;
                ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_DIRECT);
                length = block.length;
                continue;
            }
            if (n <= 0) {
                error_.store(n < 0 ? errno : ENOSPC);
                return;
            }
            done += static_cast<std::size_t>(n);
        }
    }

    void stop_thread() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
            changed_.notify_all();
        }
        thread_.join();
    }

    /// A foreseen byte the muxer did not end up writing that way gets the muxer's value.
    void apply_unconfirmed_rewrites() {
        for (const auto& [offset, value] : expected_) {
            if (offset >= end_) {
                hash_valid_ = false;
                continue;
            }
            const auto muxer = muxer_values_.find(offset);
            if (muxer != muxer_values_.end() && muxer->second == value) continue;
            late_writes_.emplace_back(offset, muxer == muxer_values_.end() ? 0 : muxer->second);
            hash_valid_ = false;
        }
    }

    void apply_late_writes() {
        if (late_writes_.empty()) return;
        const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);  // buffered: any offset
        if (fd < 0) fail(path_, "cannot reopen the movie", errno);
        for (const auto& [offset, value] : late_writes_)
            if (::pwrite(fd, &value, 1, offset) != 1) {
                const int error = errno;
                ::close(fd);
                fail(path_, "cannot write the movie header", error);
            }
        if (::close(fd) != 0) fail(path_, "cannot close the movie", errno);
    }

    std::filesystem::path path_;
    Rewrites expected_;
    std::map<std::int64_t, std::uint8_t> muxer_values_;
    std::vector<std::pair<std::int64_t, std::uint8_t>> late_writes_;
    bool hash_valid_;
    std::vector<BlockDigest> blocks_;  ///< used by the writer thread only, until it is joined
    int fd_ = -1;
    bool direct_ = true;  ///< written by the writer thread only, until it is joined

    std::int64_t position_ = 0;     ///< where the muxer writes next
    std::int64_t end_ = 0;          ///< bytes written so far (the file's size)
    std::int64_t block_start_ = 0;  ///< file offset of current_
    Block current_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<PendingBlock> queue_;
    std::deque<Block> free_;
    bool stopping_ = false;
    std::atomic<int> error_{0};
    std::thread thread_;
};

}  // namespace

WrittenMovie write_movie_file(const std::filesystem::path& path,
                              const std::function<void(AVIOContext* output)>& mux, bool direct_io) {
    const auto started = std::chrono::steady_clock::now();
    RewriteRecorder recorder;
    {
        AvioPtr output(make_avio(&recorder));
        mux(output.get());
    }
    const auto foreseen = std::chrono::steady_clock::now();
    DirectFileWriter writer(path, std::move(recorder).rewrites(), direct_io);
    {
        AvioPtr output(make_avio(&writer));
        mux(output.get());
    }
    WrittenMovie written = writer.finish();
    const std::chrono::duration<double> first = foreseen - started;
    const std::chrono::duration<double> second = std::chrono::steady_clock::now() - foreseen;
    spdlog::debug("{}: written {}, {} (first pass {:.2f}s, writing {:.2f}s)",
                  path.filename().string(),
                  written.direct_io ? "with direct I/O" : "through the page cache",
                  written.hashed_while_writing ? "hashed while writing" : "hashed by reading it again",
                  first.count(), second.count());
    return written;
}

}  // namespace storyreel
