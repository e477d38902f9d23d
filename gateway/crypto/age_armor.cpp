#include "gateway/crypto/age_armor.hpp"

#include "gateway/crypto/age.hpp"
#include "gateway/crypto/base64.hpp"

#include <array>

namespace dcagw::crypto::age_detail {

using base::ErrorCode;
using base::make_error;

namespace {

constexpr std::size_t bytes_per_line = armor_columns / 4 * 3; // 48
// Encoded text is handed downstream in pieces of about this size.
constexpr std::size_t text_flush_size = 64 * 1024;
// A line is at most 64 columns plus CR; anything longer is refused before buffering more.
constexpr std::size_t max_line_size = armor_columns + 1;

base::Error armor_error(std::string message)
{
    return make_error(ErrorCode::ArmorInvalid, "age armor: " + std::move(message));
}

bool is_whitespace(std::uint8_t byte)
{
    return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n';
}

} // namespace

ArmorWriter::ArmorWriter(base::ByteSink& downstream)
    : m_downstream(downstream)
{
}

base::Result<void> ArmorWriter::flush_text()
{
    if (m_text.empty())
        return {};
    TRY(m_downstream.write(m_text));
    m_text.clear();
    return {};
}

base::Result<void> ArmorWriter::write(std::span<std::uint8_t const> bytes)
{
    if (!m_began) {
        m_text.append(armor_begin).push_back('\n');
        m_began = true;
    }
    while (!bytes.empty()) {
        std::size_t const take = std::min(bytes_per_line - m_pending.size(), bytes.size());
        if (m_pending.empty() && take == bytes_per_line) {
            append_base64(m_text, bytes.first(bytes_per_line), Base64Padding::Yes);
            m_text.push_back('\n');
        } else {
            m_pending.append(reinterpret_cast<char const*>(bytes.data()), take);
            if (m_pending.size() == bytes_per_line) {
                append_base64(m_text, std::span(reinterpret_cast<std::uint8_t const*>(m_pending.data()), m_pending.size()), Base64Padding::Yes);
                m_text.push_back('\n');
                m_pending.clear();
            }
        }
        bytes = bytes.subspan(take);
        if (m_text.size() >= text_flush_size)
            TRY(flush_text());
    }
    return {};
}

base::Result<void> ArmorWriter::finish()
{
    if (!m_began) {
        m_text.append(armor_begin).push_back('\n');
        m_began = true;
    }
    if (!m_pending.empty()) {
        append_base64(m_text, std::span(reinterpret_cast<std::uint8_t const*>(m_pending.data()), m_pending.size()), Base64Padding::Yes);
        m_text.push_back('\n');
        m_pending.clear();
    }
    m_text.append(armor_end).push_back('\n');
    TRY(flush_text());
    return m_downstream.finish();
}

ArmorReader::ArmorReader(base::ByteSink& downstream)
    : m_downstream(downstream)
{
}

base::Result<void> ArmorReader::complete_line()
{
    std::string_view line = m_line;
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    if (m_stage == Stage::BeginLine) {
        if (line != armor_begin)
            return armor_error("missing '-----BEGIN AGE ENCRYPTED FILE-----' line");
        m_stage = Stage::Body;
        return {};
    }
    // Stage::Body
    if (line == armor_end) {
        m_stage = Stage::TrailingWhitespace;
        return {};
    }
    if (m_final_data_line_seen)
        return armor_error("data after the final (short) line");
    if (line.empty())
        return armor_error("empty line");
    if (line.size() > armor_columns)
        return armor_error("line longer than 64 columns");
    std::array<std::uint8_t, decoded_base64_size(armor_columns)> decoded {};
    auto const size = decode_base64_into(line, Base64Padding::Yes, decoded.data());
    if (!size)
        return armor_error("invalid or non-canonical base64");
    // A short or padded line can only be the last one.
    if (line.size() < armor_columns || line.back() == '=')
        m_final_data_line_seen = true;
    return m_downstream.write(std::span<std::uint8_t const>(decoded.data(), *size));
}

base::Result<void> ArmorReader::write(std::span<std::uint8_t const> bytes)
{
    std::size_t index = 0;
    while (index < bytes.size()) {
        switch (m_stage) {
        case Stage::LeadingWhitespace:
            if (is_whitespace(bytes[index])) {
                if (++m_whitespace > age_max_armor_whitespace)
                    return armor_error("too much whitespace before the armor");
                ++index;
            } else {
                m_stage = Stage::BeginLine;
            }
            break;
        case Stage::TrailingWhitespace:
            if (!is_whitespace(bytes[index]))
                return armor_error("data after the '-----END AGE ENCRYPTED FILE-----' line");
            if (++m_whitespace > age_max_armor_whitespace)
                return armor_error("too much whitespace after the armor");
            ++index;
            break;
        case Stage::BeginLine:
        case Stage::Body: {
            std::uint8_t const byte = bytes[index++];
            if (byte == '\n') {
                TRY(complete_line());
                m_line.clear();
                if (m_stage == Stage::TrailingWhitespace)
                    m_whitespace = 0;
            } else {
                if (m_line.size() == max_line_size)
                    return armor_error("line longer than 64 columns");
                m_line.push_back(static_cast<char>(byte));
            }
            break;
        }
        }
    }
    return {};
}

base::Result<void> ArmorReader::finish()
{
    // The footer may end the file without a newline.
    if (m_stage == Stage::Body && m_line == armor_end) {
        m_stage = Stage::TrailingWhitespace;
        m_line.clear();
    }
    if (m_stage != Stage::TrailingWhitespace)
        return armor_error(m_stage == Stage::LeadingWhitespace ? "no armored data" : "missing '-----END AGE ENCRYPTED FILE-----' line");
    return m_downstream.finish();
}

} // namespace dcagw::crypto::age_detail
