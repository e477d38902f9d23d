// listing/remote_listing: a strict reader of an array of flat JSON objects.
#include "gateway/listing/remote_listing.hpp"

#include "gateway/base/json_string.hpp"

namespace dcagw::listing {

namespace {

class ListingParser {
public:
    explicit ListingParser(std::string_view json) : m_json(json) {}

    base::Result<std::vector<RemoteListingEntry>> parse()
    {
        std::vector<RemoteListingEntry> entries;
        TRY(expect('['));
        if (!peek_is(']')) {
            do {
                if (entries.size() == max_remote_listing_entries)
                    return base::make_error(base::ErrorCode::InputTooLarge, "remote listing: more than "
                            + std::to_string(max_remote_listing_entries) + " entries");
                entries.push_back(TRY(object()));
            } while (accept(','));
        }
        TRY(expect(']'));
        skip_space();
        if (m_position != m_json.size())
            return malformed("text after the listing");
        return entries;
    }

private:
    base::Result<RemoteListingEntry> object()
    {
        RemoteListingEntry entry;
        bool seen_name = false, seen_type = false, seen_size = false;
        TRY(expect('{'));
        if (!peek_is('}')) {
            do {
                auto key = TRY(string());
                TRY(expect(':'));
                skip_space();
                bool* seen = key == "name" ? &seen_name : key == "type" ? &seen_type : key == "size" ? &seen_size : nullptr;
                if (seen && *seen)
                    return malformed("repeated key \"" + key + "\"");
                if (seen)
                    *seen = true;
                if (m_position < m_json.size() && m_json[m_position] == '"') {
                    auto value = TRY(string());
                    if (key == "size")
                        return malformed("size is not a number");
                    if (key == "name")
                        entry.name = std::move(value);
                    else if (key == "type")
                        entry.type = std::move(value);
                } else {
                    auto value = TRY(number());
                    if (key == "name" || key == "type")
                        return malformed(key + " is not a string");
                    if (key == "size")
                        entry.size = value;
                }
            } while (accept(','));
        }
        TRY(expect('}'));
        if (!seen_name || !seen_type)
            return malformed("an entry without a name or type");
        return entry;
    }

    base::Result<std::string> string()
    {
        skip_space();
        if (m_position >= m_json.size() || m_json[m_position] != '"')
            return malformed("expected a string");
        ++m_position;
        // Raw bytes pass through (names are checked by transport's remote name rules).
        std::string out;
        auto const read = base::read_json_string(m_json.substr(m_position), out, base::RawBytes::PassThrough, max_remote_listing_bytes);
        m_position += read.consumed;
        if (read.problem != base::JsonStringProblem::None)
            return malformed(std::string(base::describe(read.problem)));
        return out;
    }

    // A non-negative integer without leading zeros, fraction or exponent.
    base::Result<std::uint64_t> number()
    {
        auto start = m_position;
        std::uint64_t value = 0;
        while (m_position < m_json.size() && m_json[m_position] >= '0' && m_json[m_position] <= '9') {
            auto digit = static_cast<std::uint64_t>(m_json[m_position] - '0');
            if (value > (UINT64_MAX - digit) / 10)
                return malformed("a number too large");
            value = value * 10 + digit;
            ++m_position;
        }
        if (m_position == start)
            return malformed("expected a string or a non-negative integer");
        if (m_position - start > 1 && m_json[start] == '0')
            return malformed("a number with a leading zero");
        return value;
    }

    void skip_space()
    {
        while (m_position < m_json.size()
            && (m_json[m_position] == ' ' || m_json[m_position] == '\n' || m_json[m_position] == '\r' || m_json[m_position] == '\t'))
            ++m_position;
    }
    bool peek_is(char character)
    {
        skip_space();
        return m_position < m_json.size() && m_json[m_position] == character;
    }
    bool accept(char character)
    {
        if (!peek_is(character))
            return false;
        ++m_position;
        return true;
    }
    base::Result<void> expect(char character)
    {
        if (!accept(character))
            return malformed(std::string("expected '") + character + "'");
        return {};
    }
    base::Error malformed(std::string const& what) const
    {
        return base::make_error(base::ErrorCode::InputMalformed,
            "remote listing: byte " + std::to_string(m_position) + ": " + what);
    }

    std::string_view m_json;
    std::size_t m_position { 0 };
};

} // namespace

base::Result<std::vector<RemoteListingEntry>> parse_remote_listing(std::string_view json)
{
    if (json.size() > max_remote_listing_bytes)
        return base::make_error(base::ErrorCode::InputTooLarge,
            "remote listing: larger than " + std::to_string(max_remote_listing_bytes) + " bytes");
    return ListingParser(json).parse();
}

} // namespace dcagw::listing
