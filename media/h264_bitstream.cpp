#include "media/h264_bitstream.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace storyreel::h264 {

// ---- BitWriter --------------------------------------------------------------------------

void BitWriter::put_bits(std::uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) {
        if (bit_count_ % 8 == 0) bytes_.push_back(0);
        if ((value >> i) & 1u)
            bytes_.back() |= static_cast<std::uint8_t>(0x80u >> (bit_count_ % 8));
        ++bit_count_;
    }
}

void BitWriter::put_ue(std::uint32_t value) {
    const std::uint64_t code = static_cast<std::uint64_t>(value) + 1;
    int length = 0;
    while ((code >> (length + 1)) != 0) ++length;
    put_bits(0, length);  // leading zeros
    // The code itself (length + 1 bits, up to 33): the top bit is always 1.
    put_bits(1, 1);
    put_bits(static_cast<std::uint32_t>(code), length);
}

void BitWriter::put_se(std::int32_t value) {
    // 9.1.1: k > 0 maps to 2k - 1, k <= 0 to -2k.
    const std::int64_t v = value;
    put_ue(static_cast<std::uint32_t>(v > 0 ? 2 * v - 1 : -2 * v));
}

void BitWriter::put_bytes(std::span<const std::uint8_t> bytes) {
    if (!byte_aligned()) throw std::logic_error("BitWriter::put_bytes on an unaligned writer");
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    bit_count_ += 8 * bytes.size();
}

void BitWriter::put_trailing_bits() {
    put_bit(true);
    while (!byte_aligned()) put_bit(false);
}

// ---- BitReader --------------------------------------------------------------------------

BitReader::BitReader(std::span<const std::uint8_t> rbsp) : data_(rbsp) {
    // The stop bit is the last 1 bit of the RBSP (trailing zero bytes are cabac_zero_words
    // or padding). Without one, treat the end of the data as the stop position.
    stop_bit_ = 8 * data_.size();
    for (std::size_t i = data_.size(); i-- > 0;) {
        if (data_[i] == 0) continue;
        int lowest = 0;
        while (((data_[i] >> lowest) & 1) == 0) ++lowest;
        stop_bit_ = 8 * i + (7 - lowest);
        break;
    }
}

std::uint32_t BitReader::bits(int count) {
    if (position_ + count > 8 * data_.size())
        throw std::out_of_range("read past the end of a NAL unit (at bit " +
                                std::to_string(position_) + ")");
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i, ++position_)
        value = (value << 1) | ((data_[position_ / 8] >> (7 - position_ % 8)) & 1u);
    return value;
}

std::uint32_t BitReader::ue() {
    int leading_zeros = 0;
    while (!bit()) {
        if (++leading_zeros > 31) throw std::out_of_range("Exp-Golomb code longer than 32 bits");
    }
    const std::uint64_t value = (std::uint64_t{1} << leading_zeros) - 1 + bits(leading_zeros);
    if (value > 0xFFFFFFFEu) throw std::out_of_range("Exp-Golomb value out of range");
    return static_cast<std::uint32_t>(value);
}

std::int32_t BitReader::se() {
    const std::uint32_t code = ue();
    const auto magnitude = static_cast<std::int32_t>((code + 1) / 2);
    return (code & 1) ? magnitude : -magnitude;
}

void BitReader::skip(std::size_t count) {
    if (position_ + count > 8 * data_.size())
        throw std::out_of_range("skipped past the end of a NAL unit");
    position_ += count;
}

bool BitReader::more_rbsp_data() const { return position_ < stop_bit_; }

// ---- Emulation prevention and NAL splitting ---------------------------------------------

std::vector<std::uint8_t> remove_emulation_prevention(std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> rbsp;
    rbsp.reserve(payload.size());
    int zeros = 0;
    for (const std::uint8_t byte : payload) {
        if (zeros >= 2 && byte == 0x03) {
            zeros = 0;
            continue;
        }
        zeros = byte == 0 ? zeros + 1 : 0;
        rbsp.push_back(byte);
    }
    return rbsp;
}

void append_with_emulation_prevention(std::span<const std::uint8_t> rbsp,
                                      std::vector<std::uint8_t>& out) {
    int zeros = 0;
    for (const std::uint8_t byte : rbsp) {
        if (zeros >= 2 && byte <= 0x03) {
            out.push_back(0x03);
            zeros = 0;
        }
        zeros = byte == 0 ? zeros + 1 : 0;
        out.push_back(byte);
    }
    // 7.4.1: an RBSP ending in 0x00 (only with cabac_zero_words) needs a final 0x03.
    if (!rbsp.empty() && rbsp.back() == 0) out.push_back(0x03);
}

std::vector<std::span<const std::uint8_t>> split_annex_b(std::span<const std::uint8_t> stream) {
    std::vector<std::span<const std::uint8_t>> units;
    const std::size_t size = stream.size();
    std::size_t start = std::string::npos;  // first byte of the current NAL unit
    std::size_t i = 0;
    auto close_unit = [&](std::size_t end) {
        if (start == std::string::npos) return;
        while (end > start && stream[end - 1] == 0) --end;  // trailing_zero_8bits
        if (end > start) units.push_back(stream.subspan(start, end - start));
    };
    while (i + 2 < size) {
        if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
            close_unit(i);
            i += 3;
            start = i;
        } else {
            ++i;
        }
    }
    close_unit(size);
    return units;
}

std::vector<std::span<const std::uint8_t>> split_length_prefixed(std::span<const std::uint8_t> data,
                                                                 int length_size) {
    if (length_size != 1 && length_size != 2 && length_size != 4)
        throw std::out_of_range("NAL length size must be 1, 2 or 4, not " +
                                std::to_string(length_size));
    std::vector<std::span<const std::uint8_t>> units;
    std::size_t i = 0;
    while (i < data.size()) {
        if (i + length_size > data.size()) throw std::out_of_range("truncated NAL length");
        std::size_t length = 0;
        for (int b = 0; b < length_size; ++b) length = (length << 8) | data[i + b];
        i += length_size;
        if (length > data.size() - i) throw std::out_of_range("NAL length past the data's end");
        units.push_back(data.subspan(i, length));
        i += length;
    }
    return units;
}

// ---- CABAC ------------------------------------------------------------------------------

namespace {

// ITU-T H.264 Table 9-44: rangeTabLPS[pStateIdx][qCodIRangeIdx].
constexpr std::uint8_t kRangeTabLps[64][4] = {
    {128, 176, 208, 240}, {128, 167, 197, 227}, {128, 158, 187, 216}, {123, 150, 178, 205},
    {116, 142, 169, 195}, {111, 135, 160, 185}, {105, 128, 152, 175}, {100, 122, 144, 166},
    {95, 116, 137, 158},  {90, 110, 130, 150},  {85, 104, 123, 142},  {81, 99, 117, 135},
    {77, 94, 111, 128},   {73, 89, 105, 122},   {69, 85, 100, 116},   {66, 80, 95, 110},
    {62, 76, 90, 104},    {59, 72, 86, 99},     {56, 69, 81, 94},     {53, 65, 77, 89},
    {51, 62, 73, 85},     {48, 59, 69, 80},     {46, 56, 66, 76},     {43, 53, 63, 72},
    {41, 50, 59, 69},     {39, 48, 56, 65},     {37, 45, 54, 62},     {35, 43, 51, 59},
    {33, 41, 48, 56},     {32, 39, 46, 53},     {30, 37, 43, 50},     {29, 35, 41, 48},
    {27, 33, 39, 45},     {26, 31, 37, 43},     {24, 30, 35, 41},     {23, 28, 33, 39},
    {22, 27, 32, 37},     {21, 26, 30, 35},     {20, 24, 29, 33},     {19, 23, 27, 31},
    {18, 22, 26, 30},     {17, 21, 25, 28},     {16, 20, 23, 27},     {15, 19, 22, 25},
    {14, 18, 21, 24},     {14, 17, 20, 23},     {13, 16, 19, 22},     {12, 15, 18, 21},
    {12, 14, 17, 20},     {11, 14, 16, 19},     {11, 13, 15, 18},     {10, 12, 15, 17},
    {10, 12, 14, 16},     {9, 11, 13, 15},      {9, 11, 12, 14},      {8, 10, 12, 14},
    {8, 9, 11, 13},       {7, 9, 11, 12},       {7, 9, 10, 12},       {7, 8, 10, 11},
    {6, 8, 9, 11},        {6, 7, 9, 10},        {6, 7, 8, 9},         {2, 2, 2, 2},
};

// ITU-T H.264 Table 9-45: transIdxLPS. (transIdxMPS is pStateIdx + 1, saturating at 62;
// state 63 is reserved for the terminating bin.)
constexpr std::uint8_t kTransIdxLps[64] = {
    0,  0,  1,  2,  2,  4,  4,  5,  6,  7,  8,  9,  9,  11, 11, 12, 13, 13, 15, 15, 16, 16,
    18, 18, 19, 19, 21, 21, 22, 22, 23, 24, 24, 25, 26, 26, 27, 27, 28, 29, 29, 30, 30, 30,
    31, 32, 32, 33, 33, 33, 34, 34, 35, 35, 35, 36, 36, 36, 37, 37, 37, 38, 38, 63,
};

}  // namespace

CabacContext CabacContext::from_mn(int m, int n, int slice_qp) {
    // 9.3.1.1, equation 9-5.
    const int qp = std::clamp(slice_qp, 0, 51);
    const int pre_state = std::clamp(((m * qp) >> 4) + n, 1, 126);
    if (pre_state <= 63) return {63 - pre_state, 0};
    return {pre_state - 64, 1};
}

void CabacEncoder::encode_decision(CabacContext& context, int bin) {
    // 9.3.4.2
    const std::uint32_t lps_range = kRangeTabLps[context.state][(range_ >> 6) & 3];
    range_ -= lps_range;
    if (bin != context.mps) {
        low_ += range_;
        range_ = lps_range;
        if (context.state == 0) context.mps = 1 - context.mps;
        context.state = kTransIdxLps[context.state];
    } else {
        context.state = std::min(context.state + 1, 62);
    }
    renormalise();
}

void CabacEncoder::encode_terminate(int bin) {
    // 9.3.4.5
    range_ -= 2;
    if (bin) {
        low_ += range_;
        flush();
    } else {
        renormalise();
    }
}

void CabacEncoder::renormalise() {
    // 9.3.4.3 (RenormE)
    while (range_ < 256) {
        if (low_ < 256) {
            put_bit(0);
        } else if (low_ >= 512) {
            low_ -= 512;
            put_bit(1);
        } else {
            low_ -= 256;
            ++outstanding_;
        }
        range_ <<= 1;
        low_ <<= 1;
    }
}

void CabacEncoder::put_bit(int bit) {
    // 9.3.4.3 (PutBit)
    if (first_bit_) {
        first_bit_ = false;
    } else {
        out_.put_bit(bit != 0);
    }
    for (; outstanding_ > 0; --outstanding_) out_.put_bit(bit == 0);
}

void CabacEncoder::flush() {
    // 9.3.4.5 (EncodeFlush): the final "| 1" is the rbsp_stop_one_bit.
    range_ = 2;
    renormalise();
    put_bit(static_cast<int>((low_ >> 9) & 1));
    out_.put_bits(((low_ >> 7) & 3) | 1, 2);
    while (!out_.byte_aligned()) out_.put_bit(false);  // rbsp_alignment_zero_bit
}

}  // namespace storyreel::h264
