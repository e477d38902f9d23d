#include "gateway/crypto/age_header.hpp"

#include "gateway/crypto/age.hpp"
#include "gateway/crypto/base64.hpp"

namespace dcagw::crypto::age_detail {

using base::ErrorCode;
using base::make_error;

namespace {

constexpr std::size_t body_line_columns = 64;

base::Error header_error(std::string message)
{
    return make_error(ErrorCode::HeaderInvalid, "age header: " + std::move(message));
}

// Splits off the next line (without its '\n'); false when no complete line is left.
bool next_line(std::string_view& rest, std::string_view& line)
{
    std::size_t const end = rest.find('\n');
    if (end == std::string_view::npos)
        return false;
    line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    return true;
}

bool is_argument_character(char character)
{
    return character >= 0x21 && character <= 0x7E;
}

base::Result<Stanza> parse_stanza_line(std::string_view arguments_text)
{
    Stanza stanza;
    std::vector<std::string> words;
    std::size_t start = 0;
    while (true) {
        std::size_t const end = arguments_text.find(' ', start);
        std::string_view const word = arguments_text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (word.empty())
            return header_error("empty stanza argument");
        for (char const character : word) {
            if (!is_argument_character(character))
                return header_error("invalid character in a stanza argument");
        }
        words.emplace_back(word);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    stanza.type = std::move(words.front());
    stanza.arguments.assign(std::make_move_iterator(words.begin() + 1), std::make_move_iterator(words.end()));
    return stanza;
}

} // namespace

base::Result<ParsedHeader> parse_header(std::string_view text)
{
    ParsedHeader header;
    std::string_view rest = text;
    std::string_view line;
    if (!next_line(rest, line))
        return header_error("no version line");
    if (line != version_line) {
        if (line.starts_with("age-encryption.org/"))
            return header_error("unsupported version '" + std::string(line.substr(0, 40)) + "'");
        return header_error("not an age file (no 'age-encryption.org/v1' line)");
    }

    while (true) {
        std::size_t const line_start = text.size() - rest.size();
        if (!next_line(rest, line))
            return header_error("missing '---' line");
        if (line.starts_with("---")) {
            // "--- " and exactly 43 base64 characters: the canonical encoding of 32 bytes.
            if (line.size() != 4 + 43 || line[3] != ' ')
                return header_error("malformed MAC line");
            auto const size = decode_base64_into(line.substr(4), Base64Padding::No, header.mac.data());
            if (!size || *size != header.mac.size())
                return header_error("malformed MAC encoding");
            if (!rest.empty())
                return header_error("data after the MAC line"); // caller bug: it cuts at the MAC line
            header.mac_input_size = line_start + 3;
            break;
        }
        if (!line.starts_with("-> "))
            return header_error("line is neither a stanza nor the MAC line");
        if (header.stanzas.size() == age_max_stanzas)
            return header_error("more than " + std::to_string(age_max_stanzas) + " stanzas");
        Stanza stanza = TRY(parse_stanza_line(line.substr(3)));

        // Body lines: full 64-column lines, then one shorter (possibly empty) final line.
        std::string body_text;
        while (true) {
            if (!next_line(rest, line))
                return header_error("stanza body is not terminated by a short line");
            if (line.size() > body_line_columns)
                return header_error("stanza body line longer than 64 columns");
            for (char const character : line) {
                if (!is_base64_character(character))
                    return header_error("invalid character in a stanza body");
            }
            body_text.append(line);
            if (line.size() < body_line_columns)
                break;
        }
        auto body = decode_base64(body_text, Base64Padding::No);
        if (!body)
            return header_error("stanza body is not canonical base64");
        stanza.body = std::move(*body);
        header.stanzas.push_back(std::move(stanza));
    }
    if (header.stanzas.empty())
        return header_error("no recipient stanzas");
    return header;
}

void append_stanza(std::string& out, Stanza const& stanza)
{
    out += "-> ";
    out += stanza.type;
    for (auto const& argument : stanza.arguments) {
        out += ' ';
        out += argument;
    }
    out += '\n';
    std::string const body = encode_base64(stanza.body, Base64Padding::No);
    std::size_t offset = 0;
    // A body whose encoding fills its last line exactly gets an empty final line.
    while (true) {
        std::size_t const length = std::min(body_line_columns, body.size() - offset);
        out.append(body, offset, length);
        out += '\n';
        offset += length;
        if (length < body_line_columns)
            break;
    }
}

} // namespace dcagw::crypto::age_detail
