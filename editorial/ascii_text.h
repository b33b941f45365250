#pragma once
// 7-bit ASCII for formats that hold nothing else (CMX3600 EDLs): common Latin accents are
// transliterated ("Élodie" -> "Elodie", "Straße" -> "Strasse"), typographic quotes and
// dashes become their ASCII forms, and anything else becomes '_'.

#include <string>
#include <string_view>

namespace storyreel {

/// `utf8` in printable 7-bit ASCII (0x20..0x7E); control characters become spaces and
/// malformed UTF-8 bytes '_'.
std::string to_7bit_ascii(std::string_view utf8);

}  // namespace storyreel
