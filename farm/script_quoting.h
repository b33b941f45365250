#pragma once
// How a value reaches a scheduler's job file unchanged and inert: shell words for the
// scripts Slurm and OpenCue's RQD run, checks for what a job file cannot carry at all (a
// newline in a job name, an OpenJD `{{` outside a parameter value), and the refusal that
// names the option and says what to do.
//
// A command's arguments are quoted one word at a time; the shard index, the only thing a
// scheduler substitutes, is written raw where FarmJob put kShardIndexToken and nowhere
// else, so no path or name can become an expansion.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::farm {

/// Written where a shard's index goes in FarmJob::shard_args. NUL bytes cannot occur in a
/// command-line argument or a path, so no user value can contain (and be mistaken for) it.
inline constexpr std::string_view kShardIndexToken{"\0shard-index\0", 13};

/// A value the farm cannot write into a job file as it is: the message names the option
/// (or file) and what to do. The command exits 64 (bad command line).
class FarmInputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// `arg` with each kShardIndexToken replaced by `index_text`.
std::string with_shard_index(std::string arg, const std::string& index_text);

/// Quotes `word` for a POSIX shell (bash, dash): left as is when every character is in
/// [A-Za-z0-9_-./=:,+@%], otherwise single-quoted with each ' written as '\''. Any byte
/// but NUL survives, newlines included.
std::string shell_quote(const std::string& word);

/// How literal text is quoted.
enum class QuoteStyle {
    posix,    ///< shell_quote()
    opencue,  ///< shell_quote(), and every '#' followed by '' so cuebot's #TOKEN# never matches
};

/// One shell word for `arg`: each kShardIndexToken in it becomes `index_expansion`, written
/// raw (`"${SLURM_ARRAY_TASK_ID}"`, `#IFRAME#`); everything else is quoted literal text.
std::string shell_word(const std::string& arg, const std::string& index_expansion = {},
                       QuoteStyle style = QuoteStyle::posix);

/// The command as one line of shell words (shell_word() for each argument).
std::string shell_command(const std::vector<std::string>& args,
                          const std::string& index_expansion = {},
                          QuoteStyle style = QuoteStyle::posix);

/// "a newline", "a tab", "control character U+001B": the first character of the Unicode Cc
/// category in `text` (C0, DEL, and C1 when encoded as UTF-8), if any.
std::optional<std::string> control_character_in(const std::string& text);

/// True when `text` is well-formed UTF-8.
bool is_valid_utf8(const std::string& text);

/// Throws FarmInputError unless `name` can be a job name everywhere: 1..128 characters of
/// valid UTF-8, no control character (a newline would end a directive or a YAML line), no
/// '/' (it names the spool folder), not "." or "..".
void check_job_name(const std::string& name);

/// Throws FarmInputError when `value` of `option` (--partition ...) holds a control
/// character or is not UTF-8: no scheduler has such a name, and a newline is how a value
/// becomes a second command.
void check_scheduler_value(const std::string& option, const std::string& value);

/// What gave argument `i` of a task command, for messages: "--project" for the value after
/// it, "the storyreel executable (--executable)" for [0], else "argument N".
std::string option_of_argument(const std::vector<std::string>& args, std::size_t i);

}  // namespace storyreel::farm
