#include "publish/ascmhl_names.h"

#include <cctype>
#include <cstdio>

#include "pipeline/checked_number.h"

namespace storyreel::publish {

std::string generation_file_name(int number, const std::string& folder_name,
                                 const std::string& utc_time) {
    std::string folder;
    for (char c : folder_name)
        folder += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'
                      ? c
                      : '_';
    if (folder.empty()) folder = "root";
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%04d", number);
    return std::string(prefix) + "_" + folder + "_" + utc_time + ".mhl";
}

int generation_number_of(const std::string& file_name) {
    const std::string extension = ".mhl";
    if (file_name.size() <= extension.size() ||
        file_name.compare(file_name.size() - extension.size(), extension.size(), extension) != 0)
        return 0;
    std::size_t digits = 0;
    while (digits < file_name.size() && std::isdigit(static_cast<unsigned char>(file_name[digits])))
        ++digits;
    if (digits < 4 || digits > 9 ||
        (digits < file_name.size() - extension.size() && file_name[digits] != '_'))
        return 0;
    return static_cast<int>(parse_integer(file_name.substr(0, digits), 0, 999'999'999).value_or(0));
}

}  // namespace storyreel::publish
