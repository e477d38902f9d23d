// audit/entry: one audit log entry and its canonical encoding (docs/audit.md).
//
// Owns: the entry kinds, the canonical byte encoding the chain hashes (length-prefixed
// name/value fields in a fixed order), its strict decoding, the chain hash
// SHA-256(domain tag || previous hash || encoding), and the digest of a disclosure's
// subject list.
// Must never: change an encoding rule without a new domain tag (every recorded hash
// depends on it), or accept an encoding that does not re-encode to the same bytes.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/hash.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::audit {

enum class EntryKind { Disclosure, Delivery, Acknowledgement, Collection, Key, Config, Command, Purge, Checkpoint, Inbound };
std::string_view to_string(EntryKind kind);
// Disclosures (data sent) and inbound entries (data received) commit to a subject list:
// they carry subject_list, subject_count and subject_digest (docs/audit.md).
constexpr bool carries_subjects(EntryKind kind) { return kind == EntryKind::Disclosure || kind == EntryKind::Inbound; }
std::optional<EntryKind> entry_kind_from_string(std::string_view text);

// "dcagw-audit-entry-v1" and a NUL byte, hashed before every entry.
inline constexpr std::string_view entry_domain_tag { "dcagw-audit-entry-v1\0", 21 };
// "dcagw-audit-subjects-v1" and a NUL byte, hashed before a subject list.
inline constexpr std::string_view subjects_domain_tag { "dcagw-audit-subjects-v1\0", 24 };

struct Field {
    std::string name;
    std::string value;  // text, a decimal integer, lower-case hex, or an encoded list
    bool operator==(Field const&) const = default;
};

// An entry: the four common fields, then the kind's own fields in their documented order.
struct Entry {
    std::int64_t sequence { 0 };
    EntryKind kind { EntryKind::Command };
    std::string time;   // UTC "YYYY-MM-DDTHH:MM:SSZ"
    std::string actor;  // "scheduler", "operator:<user>", ...
    std::vector<Field> fields;

    void add(std::string name, std::string value);
    void add(std::string name, std::int64_t value);
    void add_list(std::string name, std::vector<std::string> const& items);
    // The value of a kind field, or nothing.
    std::optional<std::string_view> value(std::string_view name) const;
    std::string text(std::string_view name) const;
    std::int64_t number(std::string_view name) const;
    std::vector<std::string> list(std::string_view name) const;
};

// A list value: each item as a 4-byte big-endian length and its bytes.
std::string encode_list(std::vector<std::string> const& items);
base::Result<std::vector<std::string>> decode_list(std::string_view value);

// The canonical encoding: fields "sequence", "kind", "time", "actor", then entry.fields;
// each field is u32be(len(name)) name u32be(len(value)) value.
std::string encode(Entry const& entry);
base::Result<Entry> decode(std::string_view bytes);

// Walks an encoding's (name, value) pairs without copying (verification's fast path).
class FieldReader {
public:
    explicit FieldReader(std::string_view bytes) : m_rest(bytes) {}
    // False at the end or when the encoding is malformed (then malformed() is true).
    // Inline: verification calls it some twenty times per entry.
    bool next(std::string_view& name, std::string_view& value)
    {
        if (m_rest.empty())
            return false;
        if (!base::take_length_prefixed(m_rest, name) || !base::take_length_prefixed(m_rest, value)) {
            m_malformed = true;
            m_rest = {};
            return false;
        }
        return true;
    }
    bool malformed() const { return m_malformed; }

private:
    std::string_view m_rest;
    bool m_malformed { false };
};

using Hash = crypto::Sha256Digest;
inline constexpr Hash genesis_hash {};  // the "previous hash" of entry 1: 32 zero bytes

// SHA-256(entry_domain_tag || previous || encoding).
Hash chain_hash(Hash const& previous, std::string_view encoding);
// The same with a caller's hasher, reused across entries (verification's hot loop).
Hash chain_hash(crypto::Sha256& hasher, Hash const& previous, std::string_view encoding);

// SHA-256(subjects_domain_tag || each subject as three length-prefixed strings:
// account_ref, person_ref, pseudonym), in the order the subjects were written.
class SubjectDigest {
public:
    SubjectDigest();
    void add(std::string_view account_ref, std::string_view person_ref, std::string_view pseudonym);
    // Subjects already encoded as above, back to back (a stored block of them).
    void add_encoded(std::string_view encodings, std::int64_t count);
    std::int64_t count() const { return m_count; }
    Hash finish();

private:
    crypto::Sha256 m_hasher;
    std::string m_buffer;
    std::int64_t m_count { 0 };
};

std::string hash_hex(Hash const& hash);
std::optional<Hash> hash_from_hex(std::string_view text);
std::optional<Hash> hash_from_bytes(std::string_view bytes);
std::string_view hash_bytes(Hash const& hash);

// Current UTC time, "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now();

} // namespace dcagw::audit
