#include "media/movie_file_output.h"

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

constexpr std::size_t kAlignment = 4096;                // O_DIRECT: offsets, sizes and memory
constexpr std::size_t kBlockSize = kChecksumBlockSize;  // one write to disk, one hashed block
constexpr std::size_t kBlocksInFlight = 4;              // memory: (4 + 2) x 8 MiB
constexpr int kAvioBufferSize = 64 << 10;               // libav's buffer for small header writes
[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
    throw BuildError({{path.string(), 0, 0},
                      {},
                      what + ": " + std::strerror(error),
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

/// Where a seek lands.
std::int64_t seek_target(std::int64_t position, std::int64_t end, std::int64_t offset, int whence) {
    switch (whence & ~AVSEEK_FORCE) {
        case SEEK_SET:
            return offset;
        case SEEK_CUR:
            return position + offset;
        case SEEK_END:
            return end + offset;
        case AVSEEK_SIZE:
            return end;
        default:
            return AVERROR(EINVAL);
    }
}

struct AlignedBuffer {
    void operator()(std::uint8_t* data) const { std::free(data); }
};
using Block = std::unique_ptr<std::uint8_t, AlignedBuffer>;

Block make_block() {
    void* data = nullptr;
    if (posix_memalign(&data, kAlignment, kBlockSize) != 0) throw std::bad_alloc();
    return Block(static_cast<std::uint8_t*>(data));
}

}  // namespace

/// The bytes, in aligned blocks written and hashed on a writer thread (a blocking I/O loop
/// of its own: a TBB worker waiting on the disk would stop encoding). The first block is
/// held until finish().
class MovieFileOutput::Writer {
  public:
    Writer(std::filesystem::path path, bool direct_io) : path_(std::move(path)) {
        direct_ = direct_io;
        if (direct_)
            fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_DIRECT, 0644);
        if (!direct_ || (fd_ < 0 && errno == EINVAL)) {  // a filesystem without O_DIRECT
            direct_ = false;
            fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        }
        if (fd_ < 0) fail(path_, "cannot create the movie", errno);
        for (std::size_t i = 0; i < kBlocksInFlight; ++i) free_.push_back(make_block());
        current_ = make_block();
        thread_ = std::thread([this] { write_blocks(); });
    }

    ~Writer() {
        stop_thread();
        if (fd_ >= 0) ::close(fd_);
    }

    int write(const std::uint8_t* data, int size) {
        if (const int error = error_.load()) return AVERROR(error);
        std::int64_t at = position_;
        std::size_t left = static_cast<std::size_t>(size);
        if (at > end_) append_zeros(at - end_);
        if (at < end_) {  // the muxer went back: a header size, an index
            const std::size_t back =
                static_cast<std::size_t>(std::min<std::int64_t>(left, end_ - at));
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

    /// Writes what is left (the first block last, with its final bytes); checksums the file.
    WrittenMovie finish() {
        if (end_ > block_start_)
            submit(std::move(current_), block_start_,
                   static_cast<std::size_t>(end_ - block_start_));
        if (first_) submit(std::move(first_), 0, kBlockSize);
        stop_thread();
        if (const int error = error_.load()) fail(path_, "cannot write the movie", error);
        if (::ftruncate(fd_, end_) != 0) fail(path_, "cannot size the movie", errno);
        if (::close(std::exchange(fd_, -1)) != 0) fail(path_, "cannot close the movie", errno);
        const bool reread = !late_writes_.empty();
        apply_late_writes();
        std::vector<BlockDigest> blocks(block_count(static_cast<std::uint64_t>(end_)));
        for (auto& [index, digest] : digests_) blocks.at(index) = digest;
        return WrittenMovie{block_list_checksum(blocks), std::move(blocks), !reread, direct_};
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
            end_ += static_cast<std::int64_t>(take);
            data += take;
            size -= take;
            if (in_block + take == kBlockSize) {
                if (block_start_ == 0)
                    first_ = std::move(current_);  // held: the muxer comes back to its header
                else
                    submit(std::move(current_), block_start_, kBlockSize);
                current_ = take_free_block();
                block_start_ += static_cast<std::int64_t>(kBlockSize);
            }
        }
    }

    void append_zeros(std::int64_t count) {
        const std::vector<std::uint8_t> zeros(static_cast<std::size_t>(count), 0);
        append(zeros.data(), zeros.size());
    }

    /// Bytes below end_: into a block still in memory, or written there at the end.
    void overwrite(std::int64_t at, const std::uint8_t* data, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i) {
            const std::int64_t offset = at + static_cast<std::int64_t>(i);
            if (offset >= block_start_)
                current_.get()[offset - block_start_] = data[i];
            else if (first_ && offset < static_cast<std::int64_t>(kBlockSize))
                first_.get()[offset] = data[i];
            else
                late_writes_[offset] = data[i];  // on disk already: written, re-hashed at the end
        }
    }

    void submit(Block data, std::int64_t offset, std::size_t length) {
        std::lock_guard lock(mutex_);
        queue_.push_back(PendingBlock{std::move(data), offset, length});
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
            digests_[static_cast<std::size_t>(block.offset /
                                              static_cast<std::int64_t>(kBlockSize))] =
                hash_block(block.data.get(), block.length);
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

    /// Bytes the muxer rewrote in blocks already on disk: written in place, and each such
    /// block read back and hashed again.
    void apply_late_writes() {
        if (late_writes_.empty()) return;
        const int fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);  // buffered: any offset
        if (fd < 0) fail(path_, "cannot reopen the movie", errno);
        const auto close_and_fail = [&](const char* what) {
            const int error = errno;
            ::close(fd);
            fail(path_, what, error);
        };
        std::map<std::size_t, bool> touched;
        for (const auto& [offset, value] : late_writes_) {
            if (::pwrite(fd, &value, 1, offset) != 1)
                close_and_fail("cannot write the movie header");
            touched[static_cast<std::size_t>(offset / static_cast<std::int64_t>(kBlockSize))] =
                true;
        }
        std::vector<unsigned char> buffer(kBlockSize);
        for (const auto& [index, unused] : touched) {
            const std::uint64_t start = std::uint64_t{index} * kBlockSize;
            const auto length = static_cast<std::size_t>(
                std::min<std::uint64_t>(kBlockSize, static_cast<std::uint64_t>(end_) - start));
            if (const int error = read_exactly(fd, buffer.data(), length, start)) {
                errno = error;
                close_and_fail("cannot read the movie back");
            }
            digests_[index] = hash_block(buffer.data(), length);
        }
        if (::close(fd) != 0) fail(path_, "cannot close the movie", errno);
    }

    std::filesystem::path path_;
    std::map<std::int64_t, std::uint8_t> late_writes_;
    std::map<std::size_t, BlockDigest> digests_;  ///< by block; the writer thread's until joined
    int fd_ = -1;
    bool direct_ = true;  ///< written by the writer thread only, until it is joined

    std::int64_t position_ = 0;     ///< where the muxer writes next
    std::int64_t end_ = 0;          ///< bytes written so far (the file's size)
    std::int64_t block_start_ = 0;  ///< file offset of current_
    Block current_;
    Block first_;  ///< block 0, once full: written last

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<PendingBlock> queue_;
    std::deque<Block> free_;
    bool stopping_ = false;
    std::atomic<int> error_{0};
    std::thread thread_;
};

MovieFileOutput::MovieFileOutput(const std::filesystem::path& path, bool direct_io)
    : writer_(std::make_unique<Writer>(path, direct_io)), avio_(make_avio(writer_.get())) {}

MovieFileOutput::~MovieFileOutput() { AvioPtr release(avio_); }

AVIOContext* MovieFileOutput::avio() const { return avio_; }

WrittenMovie MovieFileOutput::finish() { return writer_->finish(); }

WrittenMovie write_movie_file(const std::filesystem::path& path,
                              const std::function<void(AVIOContext* output)>& mux, bool direct_io) {
    const auto started = std::chrono::steady_clock::now();
    MovieFileOutput output(path, direct_io);
    mux(output.avio());
    WrittenMovie written = output.finish();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    spdlog::debug(
        "{}: written {}, {} ({:.2f}s)", path.filename().string(),
        written.direct_io ? "with direct I/O" : "through the page cache",
        written.hashed_while_writing ? "hashed while writing" : "some blocks read back to hash",
        took.count());
    return written;
}

}  // namespace storyreel
