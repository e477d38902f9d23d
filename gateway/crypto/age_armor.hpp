// crypto/age_armor: the age ASCII armor, internal to the crypto module.
//
// Owns: ArmorWriter (binary to "-----BEGIN AGE ENCRYPTED FILE-----", padded base64 in
// 64-column lines, footer) and ArmorReader, a streaming strict decoder: LF or CRLF line
// ends, every line but the last exactly 64 columns, canonical padded base64, no headers,
// no empty lines, only whitespace (at most age_max_armor_whitespace bytes) outside.
// Must never: buffer more than one line, or pass on bytes from a line it has not fully
// validated.
#pragma once

#include "gateway/base/file.hpp"

#include <string>

namespace dcagw::crypto::age_detail {

inline constexpr std::string_view armor_begin = "-----BEGIN AGE ENCRYPTED FILE-----";
inline constexpr std::string_view armor_end = "-----END AGE ENCRYPTED FILE-----";
inline constexpr std::size_t armor_columns = 64;

class ArmorWriter final : public base::ByteSink {
public:
    // Writes nothing until the first write() or finish(); downstream must outlive this.
    explicit ArmorWriter(base::ByteSink& downstream);

    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override;
    // Writes the last line and the footer, then finishes downstream.
    base::Result<void> finish() override;

private:
    base::Result<void> flush_text();

    base::ByteSink& m_downstream;
    std::string m_pending;  // fewer than 48 binary bytes not yet encoded
    std::string m_text;     // encoded lines waiting to be written downstream
    bool m_began { false };
};

class ArmorReader final : public base::ByteSink {
public:
    // Decoded bytes go to downstream; errors from downstream pass through unchanged.
    explicit ArmorReader(base::ByteSink& downstream);

    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override;
    // ArmorInvalid unless the footer has been seen; then finishes downstream.
    base::Result<void> finish() override;

private:
    enum class Stage { LeadingWhitespace, BeginLine, Body, TrailingWhitespace };
    base::Result<void> complete_line();

    base::ByteSink& m_downstream;
    Stage m_stage { Stage::LeadingWhitespace };
    std::string m_line;
    std::size_t m_whitespace { 0 };
    bool m_final_data_line_seen { false };
};

} // namespace dcagw::crypto::age_detail
