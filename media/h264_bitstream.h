#pragma once
// Bit-level tools for reading and writing H.264 NAL units (ITU-T H.264 clause 7 and 9.3).
//
// Only what storyreel's own NAL writer needs: Exp-Golomb bit reading and writing on RBSPs,
// emulation prevention, splitting Annex B / length-prefixed NAL streams, and the CABAC
// arithmetic encoder. Readers throw std::out_of_range when they run past the data; callers
// turn that into a BuildError that names the stream.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace storyreel::h264 {

/// NAL unit types used here (Table 7-1).
enum NalType : int {
    kNalSliceNonIdr = 1,
    kNalSliceIdr = 5,
    kNalSei = 6,
    kNalSps = 7,
    kNalPps = 8,
    kNalAccessUnitDelimiter = 9,
};

/// Writes bits MSB-first into a growing byte vector (an RBSP, before emulation prevention).
class BitWriter {
  public:
    /// Appends the `count` (0..32) low bits of `value`.
    void put_bits(std::uint32_t value, int count);
    void put_bit(bool bit) { put_bits(bit ? 1u : 0u, 1); }
    /// ue(v): unsigned Exp-Golomb code.
    void put_ue(std::uint32_t value);
    /// se(v): signed Exp-Golomb code.
    void put_se(std::int32_t value);
    /// Appends whole bytes; the writer must be byte aligned.
    void put_bytes(std::span<const std::uint8_t> bytes);
    /// rbsp_trailing_bits(): a 1 bit, then 0 bits up to the byte boundary.
    void put_trailing_bits();

    bool byte_aligned() const { return bit_count_ % 8 == 0; }
    std::size_t bit_count() const { return bit_count_; }
    /// The bytes written so far; a partial last byte is zero-padded.
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

  private:
    std::vector<std::uint8_t> bytes_;
    std::size_t bit_count_ = 0;
};

/// Reads bits MSB-first from an RBSP (emulation prevention already removed).
class BitReader {
  public:
    explicit BitReader(std::span<const std::uint8_t> rbsp);

    std::uint32_t bits(int count);  ///< u(n), n in 0..32
    bool bit() { return bits(1) != 0; }
    std::uint32_t ue();  ///< ue(v)
    std::int32_t se();   ///< se(v)
    void skip(std::size_t count);
    /// more_rbsp_data(): whether anything but rbsp_trailing_bits is left (7.2).
    bool more_rbsp_data() const;
    std::size_t position() const { return position_; }

  private:
    std::span<const std::uint8_t> data_;
    std::size_t position_ = 0;  ///< in bits
    std::size_t stop_bit_ = 0;  ///< position of the rbsp_stop_one_bit (or the data's end)
};

/// Removes emulation_prevention_three_byte from a NAL unit's payload (NAL -> RBSP).
std::vector<std::uint8_t> remove_emulation_prevention(std::span<const std::uint8_t> payload);

/// Appends `rbsp` to `out`, inserting emulation_prevention_three_byte where needed
/// (RBSP -> NAL payload, 7.4.1).
void append_with_emulation_prevention(std::span<const std::uint8_t> rbsp,
                                      std::vector<std::uint8_t>& out);

/// Splits an Annex B byte stream at its start codes; each span is one NAL unit (header byte
/// first) with trailing zero bytes removed.
std::vector<std::span<const std::uint8_t>> split_annex_b(std::span<const std::uint8_t> stream);

/// Splits NAL units each preceded by a big-endian length of `length_size` (1, 2 or 4) bytes,
/// as in MP4 samples. Throws std::out_of_range when a length runs past the data.
std::vector<std::span<const std::uint8_t>> split_length_prefixed(std::span<const std::uint8_t> data,
                                                                 int length_size);

/// One CABAC context variable (9.3.1.1): probability state and most probable symbol.
struct CabacContext {
    int state = 0;  ///< pStateIdx, 0..63
    int mps = 0;    ///< valMPS, 0 or 1

    /// Initialises from the (m, n) pair of Tables 9-12..9-33 for slice QP `slice_qp`.
    static CabacContext from_mn(int m, int n, int slice_qp);
};

/// The CABAC arithmetic encoder of 9.3.4 (regular and terminating bins; no bypass bins,
/// which skip-only slices never use). Output starts at a byte boundary of the slice data.
class CabacEncoder {
  public:
    void encode_decision(CabacContext& context, int bin);
    /// Encodes a bin with the terminating process; bin 1 also flushes the encoder (9.3.4.5),
    /// whose last written bit is the rbsp_stop_one_bit, and pads the last byte with zeros.
    void encode_terminate(int bin);
    /// The arithmetic code, complete after encode_terminate(1).
    const std::vector<std::uint8_t>& bytes() const { return out_.bytes(); }

  private:
    void renormalise();
    void put_bit(int bit);
    void flush();

    std::uint32_t low_ = 0;
    std::uint32_t range_ = 510;
    int outstanding_ = 0;
    bool first_bit_ = true;
    BitWriter out_;
};

}  // namespace storyreel::h264
