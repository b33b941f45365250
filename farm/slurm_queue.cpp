#include "farm/slurm_queue.h"

#include <sstream>
#include <stdexcept>

#include "farm/process.h"
#include "pipeline/checked_number.h"

namespace storyreel::farm {

namespace {

/// "Key=Value Key2=Value2 ..." -> the value of `key` (values hold no spaces in -o mode,
/// except Reason/Command at the end, which we do not need whole).
std::string field(const std::string& line, const std::string& key) {
    const std::string marker = key + "=";
    std::size_t at = 0;
    while ((at = line.find(marker, at)) != std::string::npos) {
        if (at == 0 || line[at - 1] == ' ') {
            const std::size_t begin = at + marker.size();
            return line.substr(begin, line.find(' ', begin) - begin);
        }
        at += marker.size();
    }
    return {};
}

}  // namespace

std::vector<SlurmJobState> query_slurm_job(const std::string& job_id) {
    const ProcessOutput result = run_process({"scontrol", "show", "job", "-o", job_id});
    if (result.exit_code != 0) {
        if (result.err.find("Invalid job id") != std::string::npos) return {};
        throw std::runtime_error("scontrol show job " + job_id +
                                 " failed: " + first_line(result.err + result.out));
    }
    std::vector<SlurmJobState> states;
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.find("JobId=") == std::string::npos) continue;
        SlurmJobState state;
        const std::string array_job = field(line, "ArrayJobId");
        const std::string array_task = field(line, "ArrayTaskId");
        state.id = array_job.empty() || array_task.empty() ? field(line, "JobId")
                                                           : array_job + "_" + array_task;
        state.state = field(line, "JobState");
        state.exit_code = field(line, "ExitCode");
        state.reason = field(line, "Reason");
        state.restarts =
            static_cast<int>(parse_integer(field(line, "Restarts"), 0, INT32_MAX).value_or(0));
        states.push_back(state);
    }
    return states;
}

bool is_final_state(const std::string& state) {
    for (const char* final_state : {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
                                    "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "PREEMPTED"})
        if (state == final_state) return true;
    return false;
}

std::string sbatch(const std::string& script, const std::vector<std::string>& extra_args) {
    std::vector<std::string> args{"sbatch", "--parsable"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    args.push_back(script);
    const ProcessOutput result = run_process(args);
    if (result.exit_code != 0)
        throw std::runtime_error("sbatch " + script +
                                 " failed: " + first_line(result.err + result.out));
    std::string id = first_line(result.out);
    if (const auto semicolon = id.find(';'); semicolon != std::string::npos) id.resize(semicolon);
    if (id.empty()) throw std::runtime_error("sbatch " + script + " printed no job id");
    return id;
}

std::string cluster_requeue_exit() {
    const ProcessOutput result = run_process({"scontrol", "show", "config"});
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind("RequeueExit ", 0) == 0) {
            const auto equals = line.find('=');
            const auto value = line.find_first_not_of(' ', equals + 1);
            return value == std::string::npos ? std::string() : line.substr(value);
        }
    return {};
}

}  // namespace storyreel::farm
