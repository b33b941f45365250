#include "farm/farm_job.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "pipeline/atomic_file.h"
#include "pipeline/build.h"
#include "pipeline/utc_time.h"

namespace storyreel::farm {

namespace fs = std::filesystem;

namespace {

std::string default_job_name(const std::string& show) {
    std::string name;
    for (char c : show.substr(0, 100))
        name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    if (name.empty()) name = "storyreel";
    return name + "-" + utc_time_now(kCompactUtc);
}

fs::path absolute_path(const fs::path& path) {
    return path.empty() ? path : fs::absolute(path).lexically_normal();
}

std::vector<std::string> common_args(const FarmJob& job, const SubmitOptions& options) {
    std::vector<std::string> args{options.executable.string(),
                                  "build",
                                  "--project",
                                  absolute_path(options.project).string(),
                                  "--pipeline",
                                  absolute_path(options.pipeline).string(),
                                  "--out",
                                  job.output.string(),
                                  "--cache",
                                  job.cache.string()};
    for (const auto& only : options.only) args.insert(args.end(), {"--only", only});
    return args;
}

/// Refuses, before anything is validated or written, what no job file could carry.
void check_submit_options(const SubmitOptions& options) {
    if (!options.job_name.empty()) check_job_name(options.job_name);
    const std::pair<const char*, const std::string*> scheduler_values[] = {
        {"--partition", &options.partition},
        {"--account", &options.account},
        {"--qos", &options.qos},
        {"--time", &options.time_limit}};
    for (const auto& [option, value] : scheduler_values)
        if (!value->empty()) check_scheduler_value(option, *value);
}

}  // namespace

std::vector<std::string> FarmJob::shard_command(const std::string& index_token) const {
    std::vector<std::string> args = shard_args;
    for (auto& arg : args) arg = with_shard_index(std::move(arg), index_token);
    return args;
}

fs::path FarmJob::log_file(const std::string& task) const {
    return spool / "logs" / (task + ".log");
}

nlohmann::json FarmJob::to_json() const {
    nlohmann::json shard_list = nlohmann::json::array();
    for (std::size_t i = 0; i < shards.size(); ++i)
        shard_list.push_back({{"index", i + 1},
                              {"shots", shards[i].shots},
                              {"distinct_images", shards[i].distinct_images},
                              {"frames", shards[i].frames},
                              {"estimated_cost", shards[i].cost}});
    return {{"job", name},
            {"engine", engine},
            {"spool", spool.string()},
            {"output", output.string()},
            {"cache", cache.string()},
            {"shards", shard_list},
            {"shard_command", shell_command(shard_command("<I>"))},
            {"assemble_command", shell_command(assemble_args)}};
}

FarmJob plan_farm_job(const SubmitOptions& options, const StageRegistry& registry) {
    check_submit_options(options);
    BuildRequest whole;
    whole.project = options.project;
    whole.pipeline = options.pipeline;
    whole.output_dir = options.output;
    whole.cache_dir = options.cache;
    whole.selection.only = options.only;
    whole.audio_analyzer = options.audio_analyzer;
    whole.apply_cuts = options.apply_cuts;
    whole.sources = options.sources;
    whole.validate_checks = options.validate_checks;
    const ValidatedBuild build = validate_build(whole, registry);
    const auto costs = estimate_shot_costs(build.plan);

    FarmJob job;
    job.options = options;
    job.engine = options.engine;
    job.show = build.project.show.name;
    job.name =
        options.job_name.empty() ? default_job_name(build.project.show.name) : options.job_name;
    job.spool =
        absolute_path(options.spool.empty() ? options.spool_root / job.name : options.spool);
    job.output = absolute_path(options.output);
    job.cache =
        absolute_path(options.cache.empty() ? options.output / ".storyreel-cache" : options.cache);
    const std::size_t wanted =
        options.shards > 0 ? options.shards : std::min<std::size_t>(costs.size(), 8);
    job.shards = split_into_shards(costs, wanted);
    const std::string count = std::to_string(job.shards.size());

    job.shard_args = common_args(job, options);
    job.shard_args.insert(job.shard_args.end(),
                          {"--shard", std::string(kShardIndexToken) + "/" + count});
    job.shard_args.insert(job.shard_args.end(), {"--task", "shard-" + std::string(kShardIndexToken),
                                                 "--log-format", "json"});
    job.assemble_args = common_args(job, options);
    if (!options.publish.empty())
        job.assemble_args.insert(job.assemble_args.end(),
                                 {"--publish", absolute_path(options.publish).string()});
    if (!options.script.empty())  // the shards only conform and encode: the assemble task checks
        job.assemble_args.insert(job.assemble_args.end(),
                                 {"--script", absolute_path(options.script).string()});
    job.assemble_args.insert(job.assemble_args.end(),
                             {"--task", "assemble", "--log-format", "json"});
    fs::create_directories(job.spool / "logs");
    return job;
}

nlohmann::json load_job_record(const std::string& job, fs::path* spool) {
    std::vector<fs::path> candidates{fs::path(job), fs::path("farm-spool") / job};
    for (const auto& candidate : candidates) {
        const fs::path file = candidate / "job.json";
        std::ifstream in(file);
        if (!in) continue;
        if (spool) *spool = fs::absolute(candidate);
        auto record = nlohmann::json::parse(in, nullptr, false);
        if (record.is_discarded()) throw std::runtime_error(file.string() + ": not valid JSON");
        return record;
    }
    throw std::runtime_error("no job '" + job + "': neither " +
                             (fs::path(job) / "job.json").string() + " nor " +
                             (fs::path("farm-spool") / job / "job.json").string() +
                             " exists (give the job's spool folder)");
}

void save_job_record(const fs::path& spool, const nlohmann::json& record) {
    // A path that is not UTF-8 is recorded with U+FFFD in its place: the scripts carry its bytes.
    write_file_atomically(
        spool / "job.json",
        record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace storyreel::farm
