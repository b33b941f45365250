// The libFuzzer target of every reader of fuzz_entry_points.h: run as fuzz_<reader> (a
// symbolic link tests/fuzz/CMakeLists.txt makes), it fuzzes that reader.

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_entry_points.h"

namespace {

const storyreel::fuzz::FuzzReader* chosen = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    const std::string name = std::filesystem::path((*argv)[0]).filename().string();
    if (name.rfind("fuzz_", 0) == 0) chosen = storyreel::fuzz::find_fuzz_reader(name.substr(5));
    if (!chosen) {
        std::fprintf(stderr, "run this as fuzz_<reader> (a link to it), one of:");
        for (const auto& reader : storyreel::fuzz::fuzz_readers())
            std::fprintf(stderr, " fuzz_%s", reader.name.c_str());
        std::fprintf(stderr, "\n");
        std::exit(64);
    }
    (void)argc;
    spdlog::set_level(spdlog::level::off);  // readers log what they skip; millions of runs
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static storyreel::fuzz::Workspace workspace;  // removed at exit
    storyreel::fuzz::run_fuzz_input(*chosen, workspace,
                                    std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
