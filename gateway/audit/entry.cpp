#include "gateway/audit/entry.hpp"

#include "gateway/base/enum_names.hpp"
#include "gateway/base/date.hpp"
#include "gateway/base/text.hpp"

#include <array>
#include <cstring>
#include <ctime>

namespace dcagw::audit {

using base::ErrorCode;
using base::make_error;

namespace {

constexpr base::EnumNames<EntryKind, 10> kind_names { { {
    { EntryKind::Disclosure, "disclosure" },
    { EntryKind::Delivery, "delivery" },
    { EntryKind::Acknowledgement, "acknowledgement" },
    { EntryKind::Collection, "collection" },
    { EntryKind::Key, "key" },
    { EntryKind::Config, "config" },
    { EntryKind::Command, "command" },
    { EntryKind::Purge, "purge" },
    { EntryKind::Checkpoint, "checkpoint" },
    { EntryKind::Inbound, "inbound" },
} } };

void append_piece(std::string& out, std::string_view piece)
{
    base::append_length_prefixed(out, piece);
}

std::optional<std::string_view> take_piece(std::string_view& rest)
{
    std::string_view piece;
    if (!base::take_length_prefixed(rest, piece))
        return std::nullopt;
    return piece;
}

base::Error malformed(std::string const& what)
{
    return make_error(ErrorCode::AuditChainBroken, "malformed entry encoding: " + what);
}

} // namespace

std::string_view to_string(EntryKind kind)
{
    return kind_names.name(kind);
}

std::optional<EntryKind> entry_kind_from_string(std::string_view text)
{
    return kind_names.parse(text);
}

void Entry::add(std::string name, std::string value)
{
    fields.push_back({ std::move(name), std::move(value) });
}

void Entry::add(std::string name, std::int64_t value)
{
    fields.push_back({ std::move(name), std::to_string(value) });
}

void Entry::add_list(std::string name, std::vector<std::string> const& items)
{
    fields.push_back({ std::move(name), encode_list(items) });
}

std::optional<std::string_view> Entry::value(std::string_view name) const
{
    for (auto const& field : fields)
        if (field.name == name)
            return std::string_view(field.value);
    return std::nullopt;
}

std::string Entry::text(std::string_view name) const
{
    return std::string(value(name).value_or(""));
}

std::int64_t Entry::number(std::string_view name) const
{
    return base::parse_int64(value(name).value_or("0")).value_or(0);
}

std::vector<std::string> Entry::list(std::string_view name) const
{
    auto const found = value(name);
    if (!found)
        return {};
    auto items = decode_list(*found);
    return items.ok() ? std::move(items.value()) : std::vector<std::string> {};
}

std::string encode_list(std::vector<std::string> const& items)
{
    std::string out;
    for (auto const& item : items)
        append_piece(out, item);
    return out;
}

base::Result<std::vector<std::string>> decode_list(std::string_view value)
{
    std::vector<std::string> items;
    while (!value.empty()) {
        auto const item = take_piece(value);
        if (!item)
            return malformed("a list item's length runs past the end of its value");
        items.emplace_back(*item);
    }
    return items;
}

std::string encode(Entry const& entry)
{
    std::string out;
    out.reserve(256);
    append_piece(out, "sequence");
    append_piece(out, std::to_string(entry.sequence));
    append_piece(out, "kind");
    append_piece(out, to_string(entry.kind));
    append_piece(out, "time");
    append_piece(out, entry.time);
    append_piece(out, "actor");
    append_piece(out, entry.actor);
    for (auto const& field : entry.fields) {
        append_piece(out, field.name);
        append_piece(out, field.value);
    }
    return out;
}

base::Result<Entry> decode(std::string_view bytes)
{
    std::string_view rest = bytes;
    std::vector<Field> fields;
    while (!rest.empty()) {
        auto const name = take_piece(rest);
        if (!name)
            return malformed("a field name's length runs past the end");
        auto const value = take_piece(rest);
        if (!value)
            return malformed("the value of field '" + std::string(*name) + "' runs past the end");
        fields.push_back({ std::string(*name), std::string(*value) });
    }
    static constexpr std::array<std::string_view, 4> common { "sequence", "kind", "time", "actor" };
    if (fields.size() < common.size())
        return malformed("fewer than the four common fields");
    for (std::size_t i = 0; i < common.size(); ++i)
        if (fields[i].name != common[i])
            return malformed("field " + std::to_string(i + 1) + " is '" + fields[i].name + "', not '" + std::string(common[i]) + "'");
    Entry entry;
    auto const sequence = base::parse_int64(fields[0].value);
    if (!sequence || *sequence < 1 || std::to_string(*sequence) != fields[0].value)
        return malformed("the sequence '" + fields[0].value + "' is not a positive decimal number");
    entry.sequence = *sequence;
    auto const kind = entry_kind_from_string(fields[1].value);
    if (!kind)
        return malformed("unknown kind '" + fields[1].value + "'");
    entry.kind = *kind;
    entry.time = std::move(fields[2].value);
    entry.actor = std::move(fields[3].value);
    entry.fields.assign(std::make_move_iterator(fields.begin() + 4), std::make_move_iterator(fields.end()));
    return entry;
}

Hash chain_hash(Hash const& previous, std::string_view encoding)
{
    crypto::Sha256 hasher;
    return chain_hash(hasher, previous, encoding);
}

Hash chain_hash(crypto::Sha256& hasher, Hash const& previous, std::string_view encoding)
{
    hasher.update(entry_domain_tag);
    hasher.update(previous);
    hasher.update(encoding);
    return hasher.finish();
}

SubjectDigest::SubjectDigest()
{
    m_hasher.update(subjects_domain_tag);
}

void SubjectDigest::add(std::string_view account_ref, std::string_view person_ref, std::string_view pseudonym)
{
    // One update per subject: the hasher's per-call cost is larger than the hashing of a
    // few dozen bytes.
    m_buffer.clear();
    append_piece(m_buffer, account_ref);
    append_piece(m_buffer, person_ref);
    append_piece(m_buffer, pseudonym);
    m_hasher.update(m_buffer);
    ++m_count;
}

void SubjectDigest::add_encoded(std::string_view encodings, std::int64_t count)
{
    m_hasher.update(encodings);
    m_count += count;
}

Hash SubjectDigest::finish()
{
    auto const digest = m_hasher.finish();
    m_hasher.update(subjects_domain_tag);
    m_count = 0;
    return digest;
}

std::string hash_hex(Hash const& hash)
{
    return crypto::digest_hex(hash);
}

std::optional<Hash> hash_from_hex(std::string_view text)
{
    if (text.size() != 64)
        return std::nullopt;
    Hash hash {};
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < hash.size(); ++i) {
        int const high = nibble(text[2 * i]);
        int const low = nibble(text[2 * i + 1]);
        if (high < 0 || low < 0)
            return std::nullopt;
        hash[i] = static_cast<std::uint8_t>(high * 16 + low);
    }
    return hash;
}

std::optional<Hash> hash_from_bytes(std::string_view bytes)
{
    if (bytes.size() != 32)
        return std::nullopt;
    Hash hash {};
    std::memcpy(hash.data(), bytes.data(), hash.size());
    return hash;
}

std::string_view hash_bytes(Hash const& hash)
{
    return std::string_view(reinterpret_cast<char const*>(hash.data()), hash.size());
}

std::string utc_now()
{
    return base::utc_timestamp_now();
}

} // namespace dcagw::audit
