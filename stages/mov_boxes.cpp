#include "stages/mov_boxes.h"

#include <algorithm>
#include <cstring>

#include "pipeline/block_checksum.h"

namespace storyreel {

namespace {

std::uint64_t read_be(const unsigned char* bytes, int count) {
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i) value = (value << 8) | bytes[i];
    return value;
}

void append_be(std::vector<unsigned char>& out, std::uint64_t value, int count) {
    for (int i = count - 1; i >= 0; --i)
        out.push_back(static_cast<unsigned char>(value >> (8 * i)));
}

/// The box starting at `at` of `bytes` (at most `end`), or nothing when it is malformed.
std::optional<MovBox> parse_box(const unsigned char* bytes, std::uint64_t at, std::uint64_t end) {
    if (end - at < 8) return std::nullopt;
    MovBox box;
    box.offset = at;
    box.size = read_be(bytes + at, 4);
    std::memcpy(box.type.data(), bytes + at + 4, 4);
    if (box.size == 1) {
        if (end - at < 16) return std::nullopt;
        box.size = read_be(bytes + at + 8, 8);
        box.header = 16;
    }
    if (box.size < box.header || box.size > end - at) return std::nullopt;
    return box;
}

/// The children of the container box `parent` (offsets relative to `bytes`).
std::optional<std::vector<MovBox>> children(const std::vector<unsigned char>& bytes,
                                            const MovBox& parent) {
    std::vector<MovBox> boxes;
    const std::uint64_t end = parent.offset + parent.size;
    for (std::uint64_t at = parent.offset + parent.header; at < end;) {
        const auto box = parse_box(bytes.data(), at, end);
        if (!box) return std::nullopt;
        boxes.push_back(*box);
        at += box->size;
    }
    return boxes;
}

std::vector<unsigned char> box_bytes(const std::vector<unsigned char>& bytes, const MovBox& box) {
    return {bytes.begin() + static_cast<std::ptrdiff_t>(box.offset),
            bytes.begin() + static_cast<std::ptrdiff_t>(box.offset + box.size)};
}

/// A box of `type` around `payload`.
std::vector<unsigned char> wrap(const char* type, const std::vector<unsigned char>& payload) {
    std::vector<unsigned char> out = mov_box_header(type, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

const MovBox* find_child(const std::vector<MovBox>& boxes, const char* type) {
    for (const auto& box : boxes)
        if (box.is(type)) return &box;
    return nullptr;
}

/// Whether a `trak` is a video track: its mdia/hdlr handler type is 'vide'.
bool is_video_track(const std::vector<unsigned char>& bytes, const MovBox& trak) {
    const auto in_trak = children(bytes, trak);
    const MovBox* mdia = in_trak ? find_child(*in_trak, "mdia") : nullptr;
    const auto in_mdia = mdia ? children(bytes, *mdia) : std::nullopt;
    const MovBox* hdlr = in_mdia ? find_child(*in_mdia, "hdlr") : nullptr;
    // version/flags (4), pre_defined / component type (4), handler type (4)
    return hdlr && hdlr->size >= hdlr->header + 12 &&
           std::memcmp(bytes.data() + hdlr->offset + hdlr->header + 8, "vide", 4) == 0;
}

/// The new sample tables of a video track: one sample per chunk.
std::vector<std::vector<unsigned char>> new_sample_tables(const SampleLocations& samples) {
    const auto count = samples.sizes.size();
    std::vector<unsigned char> stsc{0, 0, 0, 0};  // version, flags
    append_be(stsc, 1, 4);  // one entry: from chunk 1, 1 sample, description 1
    append_be(stsc, 1, 4);
    append_be(stsc, 1, 4);
    append_be(stsc, 1, 4);
    std::vector<unsigned char> stsz{0, 0, 0, 0};
    const bool same_size = count > 0 && std::all_of(samples.sizes.begin(), samples.sizes.end(),
                                                    [&](auto s) { return s == samples.sizes[0]; });
    append_be(stsz, same_size ? samples.sizes[0] : 0, 4);
    append_be(stsz, count, 4);
    if (!same_size)
        for (auto size : samples.sizes) append_be(stsz, size, 4);
    const bool wide = std::any_of(samples.offsets.begin(), samples.offsets.end(),
                                  [](auto o) { return o > 0xFFFFFFFFull; });
    std::vector<unsigned char> offsets{0, 0, 0, 0};
    append_be(offsets, count, 4);
    for (auto offset : samples.offsets) append_be(offsets, offset, wide ? 8 : 4);
    return {wrap("stsc", stsc), wrap("stsz", stsz), wrap(wide ? "co64" : "stco", offsets)};
}

/// The video track's `stbl` with new sample tables, or nothing (and why_not).
std::optional<std::vector<unsigned char>> new_stbl(const std::vector<unsigned char>& bytes,
                                                   const MovBox& stbl,
                                                   const SampleLocations& samples,
                                                   std::string& why_not) {
    const auto boxes = children(bytes, stbl);
    if (!boxes) return why_not = "its video sample table is malformed", std::nullopt;
    const MovBox* stsz = find_child(*boxes, "stsz");
    const MovBox* stsc = find_child(*boxes, "stsc");
    const MovBox* stsd = find_child(*boxes, "stsd");
    if (!stsz || !stsc || !stsd || stsz->size < stsz->header + 12 || stsd->size < stsd->header + 8)
        return why_not = "its video sample table lacks stsz, stsc or stsd", std::nullopt;
    if (read_be(bytes.data() + stsz->offset + stsz->header + 8, 4) != samples.sizes.size())
        return why_not = "its video track has another number of frames", std::nullopt;
    if (read_be(bytes.data() + stsd->offset + stsd->header + 4, 4) != 1)
        return why_not = "its video track has several sample descriptions", std::nullopt;
    std::vector<unsigned char> payload;
    bool placed = false;
    for (const auto& box : *boxes) {
        if (box.is("stsc") || box.is("stsz") || box.is("stco") || box.is("co64") ||
            box.is("stz2")) {
            if (placed) continue;
            for (const auto& table : new_sample_tables(samples))
                payload.insert(payload.end(), table.begin(), table.end());
            placed = true;
            continue;
        }
        const auto kept = box_bytes(bytes, box);
        payload.insert(payload.end(), kept.begin(), kept.end());
    }
    return wrap("stbl", payload);
}

/// `box` (a container on the path to the video `stbl`) rebuilt with its child of type
/// `path[0]` replaced, recursively; nothing (and why_not) when the path is missing.
std::optional<std::vector<unsigned char>> rebuild(const std::vector<unsigned char>& bytes,
                                                  const MovBox& box,
                                                  const std::vector<const char*>& path,
                                                  std::size_t depth, const SampleLocations& samples,
                                                  std::string& why_not) {
    if (depth == path.size()) return new_stbl(bytes, box, samples, why_not);
    const auto boxes = children(bytes, box);
    if (!boxes) return why_not = "its header is malformed", std::nullopt;
    std::vector<unsigned char> payload;
    bool found = false;
    for (const auto& child : *boxes) {
        std::vector<unsigned char> part;
        if (!found && child.is(path[depth])) {
            auto rebuilt = rebuild(bytes, child, path, depth + 1, samples, why_not);
            if (!rebuilt) return std::nullopt;
            part = std::move(*rebuilt);
            found = true;
        } else {
            part = box_bytes(bytes, child);
        }
        payload.insert(payload.end(), part.begin(), part.end());
    }
    if (!found)
        return why_not = std::string("its video track has no ") + path[depth] + " box",
               std::nullopt;
    return wrap(std::string(box.type.data(), 4).c_str(), payload);
}

}  // namespace

std::optional<std::vector<MovBox>> read_top_level_boxes(int fd, std::uint64_t file_size,
                                                        std::string& why_not) {
    std::vector<MovBox> boxes;
    for (std::uint64_t at = 0; at < file_size;) {
        unsigned char header[16] = {};
        const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(16, file_size - at));
        if (length < 8 || read_exactly(fd, header, length, at) != 0)
            return why_not = "its boxes do not end where the file ends", std::nullopt;
        const auto box = parse_box(header, 0, std::min<std::uint64_t>(file_size - at, ~0ull - 16));
        if (!box || read_be(header, 4) == 0)
            return why_not = "a box of it runs past the end of the file", std::nullopt;
        if (box->size > file_size - at)
            return why_not = "a box of it runs past the end of the file", std::nullopt;
        MovBox placed = *box;
        placed.offset = at;
        boxes.push_back(placed);
        at += box->size;
    }
    return boxes;
}

std::vector<unsigned char> mov_box_header(const char* type, std::uint64_t payload) {
    std::vector<unsigned char> header;
    const bool large = payload + 8 > 0xFFFFFFFFull;
    append_be(header, large ? 1 : payload + 8, 4);
    header.insert(header.end(), type, type + 4);
    if (large) append_be(header, payload + 16, 8);
    return header;
}

std::optional<std::vector<unsigned char>> moov_with_video_samples(
    const std::vector<unsigned char>& moov, const SampleLocations& samples, std::string& why_not) {
    const auto top = parse_box(moov.data(), 0, moov.size());
    if (!top || !top->is("moov") || top->size != moov.size())
        return why_not = "its moov box is malformed", std::nullopt;
    const auto tracks = children(moov, *top);
    if (!tracks) return why_not = "its moov box is malformed", std::nullopt;
    const MovBox* video = nullptr;
    for (const auto& box : *tracks) {
        if (!box.is("trak") || !is_video_track(moov, box)) continue;
        if (video) return why_not = "it has several video tracks", std::nullopt;
        video = &box;
    }
    if (!video) return why_not = "it has no video track", std::nullopt;
    std::vector<unsigned char> payload;
    for (const auto& box : *tracks) {
        std::vector<unsigned char> part;
        if (&box == video) {
            auto rebuilt = rebuild(moov, box, {"mdia", "minf", "stbl"}, 0, samples, why_not);
            if (!rebuilt) return std::nullopt;
            part = std::move(*rebuilt);
        } else {
            part = box_bytes(moov, box);
        }
        payload.insert(payload.end(), part.begin(), part.end());
    }
    return wrap("moov", payload);
}

}  // namespace storyreel
