#include "stages/movie_assembly_thread.h"

#include "stages/movie_assembler.h"

namespace storyreel {

MovieAssemblyThread::MovieAssemblyThread(const EncodeSettings& settings, const CutPlan& plan,
                                         const OutputUnit& unit, std::filesystem::path file,
                                         std::string final_name, AudioValue audio,
                                         MovieMetadata metadata) {
    thread_ = std::thread([this, &settings, &plan, &unit, file = std::move(file),
                           final_name = std::move(final_name), audio = std::move(audio),
                           metadata = std::move(metadata)]() mutable {
        run(settings, plan, unit, file, final_name, std::move(audio), std::move(metadata));
    });
}

MovieAssemblyThread::~MovieAssemblyThread() {
    {
        std::lock_guard lock(mutex_);
        abandoning_ = true;
        changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

void MovieAssemblyThread::run(const EncodeSettings& settings, const CutPlan& plan,
                              const OutputUnit& unit, const std::filesystem::path& file,
                              const std::string& final_name, AudioValue audio,
                              MovieMetadata metadata) {
    try {
        MovieFileOutput output(file);
        {
            MovieAssembler assembler(settings, plan, unit, file, final_name, std::move(audio),
                                     std::nullopt, std::move(metadata), output.avio());
            while (true) {
                Segment segment;
                {
                    std::unique_lock lock(mutex_);
                    changed_.wait(lock,
                                  [this] { return abandoning_ || finishing_ || !queue_.empty(); });
                    if (abandoning_) return;
                    if (queue_.empty()) break;  // finishing, and every segment is in
                    segment = std::move(queue_.front());
                    queue_.pop_front();
                }
                if (segment.preroll_frames > 0)
                    assembler.append_preroll(segment.path, segment.preroll_frames);
                else
                    assembler.append(segment.path);
            }
            assembler.finish();
        }
        WrittenMovie written = output.finish();
        std::lock_guard lock(mutex_);
        written_ = std::move(written);
        done_ = true;
        changed_.notify_all();
    } catch (...) {
        std::lock_guard lock(mutex_);
        error_ = std::current_exception();
        done_ = true;
        changed_.notify_all();
    }
}

void MovieAssemblyThread::hand_over(Segment segment) {
    std::lock_guard lock(mutex_);
    if (error_) std::rethrow_exception(error_);
    queue_.push_back(std::move(segment));
    changed_.notify_all();
}

void MovieAssemblyThread::append_preroll(const std::filesystem::path& segment,
                                         std::int64_t frames) {
    hand_over({segment, frames});
}

void MovieAssemblyThread::append(const std::filesystem::path& segment) { hand_over({segment, 0}); }

WrittenMovie MovieAssemblyThread::finish() {
    std::unique_lock lock(mutex_);
    finishing_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return done_; });
    if (error_) std::rethrow_exception(error_);
    return std::move(*written_);
}

}  // namespace storyreel
