#pragma once
// `storyreel checksum`: the checksums build reports record, for files or a whole report.
//
// Movies are checksummed as a list of 8 MiB block hashes ("xxh128-8m:",
// pipeline/block_checksum.h), which no stock tool computes; this gives TDs and editors the
// same check `publish` and `pull` make: `storyreel checksum FILE...` prints them, and
// `storyreel checksum --verify OUT/build.json` checks every output the report lists;
// `storyreel checksum --verify FOLDER` checks a published version or a folder `pull`
// delivered into against its ASC Media Hash List (FOLDER/ascmhl/).

#include <string>
#include <vector>

namespace storyreel {

struct ChecksumOptions {
    std::vector<std::string> files;
    bool whole = false;  ///< "xxh128:" of the whole file instead of the block list
    std::string report;  ///< --verify: a build.json, or a folder with an ascmhl/ history
};

int run_checksum(const ChecksumOptions& options);

}  // namespace storyreel
