#include "gateway/audit/journal.hpp"

#include "gateway/store/audit_log.hpp"

#include <cstdlib>
#include <pwd.h>
#include <vector>
#include <unistd.h>

namespace dcagw::audit {

using base::ErrorCode;
using base::make_error;

std::string os_user()
{
    // The effective user is what the kernel says the process runs as: the one part of the
    // actor the caller cannot choose by setting a variable.
    auto const uid = ::geteuid();
    std::vector<char> buffer(16384);
    struct passwd entry {};
    struct passwd* found = nullptr;
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr && found->pw_name != nullptr && *found->pw_name != '\0')
        return found->pw_name;
    return "uid-" + std::to_string(uid);
}

std::string current_actor()
{
    std::string const os = " (os: " + os_user() + ")";
    if (char const* actor = std::getenv("DCAGW_ACTOR"); actor != nullptr && *actor != '\0')
        return actor + os;
    for (char const* name : { "LOGNAME", "USER" })
        if (char const* user = std::getenv(name); user != nullptr && *user != '\0')
            return std::string("operator:") + user + os;
    return "operator:uid-" + std::to_string(::getuid()) + os;
}

namespace {

// The fields of an entry, in the order the canonical encoding keeps (docs/audit.md):
// make_entry(kind, "agency", agency, "file_name", file_name, ...).
void add_value(Entry& entry, std::string name, std::string_view value) { entry.add(std::move(name), std::string(value)); }
void add_value(Entry& entry, std::string name, std::int64_t value) { entry.add(std::move(name), value); }
void add_value(Entry& entry, std::string name, std::vector<std::string> const& items) { entry.add_list(std::move(name), items); }

template<typename Value, typename... Rest>
void add_values(Entry& entry, char const* name, Value const& value, Rest const&... rest)
{
    add_value(entry, name, value);
    if constexpr (sizeof...(rest) > 0)
        add_values(entry, rest...);
}

template<typename... Pairs>
Entry make_entry(EntryKind kind, Pairs const&... pairs)
{
    Entry entry;
    entry.kind = kind;
    add_values(entry, pairs...);
    return entry;
}

} // namespace

Journal::Journal(store::Ledger& ledger, std::string actor) : m_ledger(ledger), m_actor(std::move(actor)) {}

base::Result<std::int64_t> Journal::append(Entry entry)
{
    auto& log = m_ledger.audit();
    auto const head = TRY(log.head());
    Hash previous = genesis_hash;
    entry.sequence = 1;
    if (head) {
        auto const stored = hash_from_bytes(head->second);
        if (!stored)
            return make_error(ErrorCode::AuditChainBroken, "audit entry " + std::to_string(head->first) + " has a stored hash that is not 32 bytes");
        previous = *stored;
        entry.sequence = head->first + 1;
    }
    if (entry.time.empty())
        entry.time = utc_now();
    if (entry.actor.empty())
        entry.actor = m_actor;
    auto const body = encode(entry);
    auto const hash = chain_hash(previous, body);
    store::AuditEntryRow row;
    row.sequence = entry.sequence;
    auto const kind = to_string(entry.kind);
    row.kind = kind;
    row.recorded_at = entry.time;
    std::string const agency = entry.text("agency");
    std::string const file_name = entry.text("file_name");
    row.agency = agency;
    row.file_name = file_name;
    if (carries_subjects(entry.kind))
        row.subject_list = entry.number("subject_list");
    row.body = body;
    row.entry_hash = hash_bytes(hash);
    TRY(log.append_entry(row));
    return entry.sequence;
}

base::Result<std::int64_t> Journal::record_disclosure(Disclosure const& disclosure)
{
    return append(make_entry(EntryKind::Disclosure, "action", disclosure.action, "agency", disclosure.agency,
        "purpose", disclosure.purpose, "lawful_basis", disclosure.lawful_basis, "agreement_reference", disclosure.agreement_reference,
        "agreement_version", disclosure.agreement_version, "fields", disclosure.fields, "record_count", disclosure.record_count,
        "file_name", disclosure.file_name, "plaintext_sha256", disclosure.plaintext_sha256,
        "ciphertext_sha256", disclosure.ciphertext_sha256, "ciphertext_bytes", disclosure.ciphertext_bytes,
        "encryption", disclosure.encryption, "recipients", disclosure.recipients, "subject_list", disclosure.subject_list,
        "subject_count", disclosure.subject_count, "subject_digest", hash_hex(disclosure.subject_digest), "run", disclosure.run));
}

base::Result<std::int64_t> Journal::record_inbound(Inbound const& inbound)
{
    return append(make_entry(EntryKind::Inbound, "agency", inbound.agency, "file_name", inbound.file_name, "sha256", inbound.sha256,
        "return_kind", inbound.return_kind, "layout", inbound.layout, "signer", inbound.signer, "fields", inbound.fields,
        "record_count", inbound.record_count, "line", inbound.line, "detail", inbound.detail, "inbound_file", inbound.inbound_file,
        "subject_list", inbound.subject_list, "subject_count", inbound.subject_count, "subject_digest", hash_hex(inbound.subject_digest)));
}

base::Result<std::int64_t> Journal::record_delivery(Delivery const& delivery)
{
    return append(make_entry(EntryKind::Delivery, "agency", delivery.agency, "file_name", delivery.file_name,
        "ciphertext_sha256", delivery.ciphertext_sha256, "transport", delivery.transport, "destination", delivery.destination,
        "receipt", delivery.receipt));
}

base::Result<std::int64_t> Journal::record_acknowledgement(Acknowledgement const& acknowledgement)
{
    return append(make_entry(EntryKind::Acknowledgement, "agency", acknowledgement.agency, "file_name", acknowledgement.file_name,
        "acknowledgement", acknowledgement.acknowledgement, "reference", acknowledgement.reference, "detail", acknowledgement.detail,
        "account_refs", acknowledgement.account_refs));
}

base::Result<std::int64_t> Journal::record_collection(Collection const& collection)
{
    return append(make_entry(EntryKind::Collection, "agency", collection.agency, "file_name", collection.file_name,
        "sha256", collection.sha256, "bytes", collection.bytes, "source", collection.source, "stored_as", collection.stored_as));
}

base::Result<std::int64_t> Journal::record_key(std::string_view action, std::string_view key_type, std::string_view public_part, std::string_view path)
{
    return append(make_entry(EntryKind::Key, "action", action, "key_type", key_type, "public", public_part, "path", path));
}

base::Result<std::optional<std::int64_t>> Journal::record_key_if_new(KeyInUse const& key)
{
    auto const& path = key.path;
    // The newest entry for this path, type and use decides (key entries are few: only
    // changes). A `generated` entry has no use, so the first run using a key records it.
    std::optional<std::string> recorded_identity;
    TRY(m_ledger.audit().entries_of_kind(to_string(EntryKind::Key), [&](store::AuditEntryRow const& row) {
        auto entry = decode(row.body);
        if (entry.ok() && entry.value().text("path") == path && entry.value().text("key_type") == key.key_type && entry.value().text("use") == key.use)
            recorded_identity = entry.value().text("public");
        return true;
    }));
    if (recorded_identity == key.identity)
        return std::optional<std::int64_t> {};
    return std::optional<std::int64_t>(TRY(append(make_entry(EntryKind::Key, "action", "loaded", "key_type", key.key_type,
        "public", key.identity, "path", path, "use", key.use))));
}

base::Result<std::int64_t> Journal::record_config(std::string_view config_file, std::string_view sha256, std::string_view previous_sha256)
{
    return append(make_entry(EntryKind::Config, "config_file", config_file, "sha256", sha256, "previous_sha256", previous_sha256));
}

base::Result<std::int64_t> Journal::record_command(std::string_view command, std::string_view detail)
{
    return append(make_entry(EntryKind::Command, "command", command, "detail", detail));
}

base::Result<std::optional<std::int64_t>> Journal::record_config_if_changed(std::filesystem::path const& config_file)
{
    auto const digest = hash_hex(TRY(crypto::sha256_of_file(config_file)));
    std::string previous;
    TRY(m_ledger.audit().last_entry_of_kind("config", [&](store::AuditEntryRow const& row) {
        if (auto entry = decode(row.body); entry.ok())
            previous = entry.value().text("sha256");
        return false;
    }));
    if (previous == digest)
        return std::optional<std::int64_t> {};
    return std::optional<std::int64_t>(TRY(record_config(config_file.string(), digest, previous)));
}

base::Result<std::unique_ptr<SubjectRecorder>> SubjectRecorder::open(store::Ledger& ledger)
{
    auto& log = ledger.audit();
    auto const key_bytes = TRY(log.subject_index_key());
    auto const key = TRY(crypto::ShortHashKey::from_bytes(key_bytes));
    return std::unique_ptr<SubjectRecorder>(new SubjectRecorder(log, key));
}

base::Result<void> SubjectRecorder::add(std::int64_t list, std::string_view account_ref, std::string_view person_ref, std::string_view pseudonym)
{
    auto& digest = m_lists[list];
    store::AuditSubjectRow row;
    row.list = list;
    row.ordinal = digest.count() + 1;
    row.account_ref = account_ref;
    row.person_ref = person_ref;
    row.pseudonym = pseudonym;
    TRY(m_log.add_subject(row, m_key.hash(account_ref), m_key.hash(person_ref)));
    digest.add(account_ref, person_ref, pseudonym);
    return {};
}

std::pair<std::int64_t, Hash> SubjectRecorder::finish_list(std::int64_t list)
{
    auto& digest = m_lists[list];
    auto const count = digest.count();
    auto const hash = digest.finish();
    m_lists.erase(list);
    return { count, hash };
}

base::Result<void> SubjectRecorder::flush()
{
    return m_log.flush_subject_index();
}

} // namespace dcagw::audit
