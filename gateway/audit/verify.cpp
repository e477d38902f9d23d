#include "gateway/audit/verify.hpp"

#include "gateway/base/text.hpp"
#include "gateway/crypto/short_hash.hpp"


namespace dcagw::audit {

namespace {

// Enough to act on; a log with thousands of bad rows would otherwise flood the terminal.
constexpr std::size_t max_problems = 50;

std::string at_entry(std::int64_t sequence)
{
    return "entry " + std::to_string(sequence) + ": ";
}

} // namespace

ChainChecker::ChainChecker(Hash previous, std::int64_t first_sequence, std::vector<CheckpointClaim> claims, VerifyReport& report)
    : m_link(previous)
    , m_computed(previous)
    , m_next_sequence(first_sequence)
    , m_first_sequence(first_sequence)
    , m_report(report)
{
    for (auto& claim : claims)
        m_claims.emplace(claim.checkpoint.count, std::move(claim));
    m_last_good_checkpoint = first_sequence - 1;
    check_claims_at(first_sequence - 1);
}

void ChainChecker::problem(std::int64_t sequence, std::string what)
{
    if (sequence > 0 && (!m_report.first_bad_entry || sequence < *m_report.first_bad_entry))
        m_report.first_bad_entry = sequence;
    if (m_report.problems.size() < max_problems)
        m_report.problems.push_back(std::move(what));
    else if (m_report.problems.size() == max_problems)
        m_report.problems.push_back("... further problems not listed");
}

void ChainChecker::check_claims_at(std::int64_t count)
{
    auto const [begin, end] = m_claims.equal_range(count);
    for (auto it = begin; it != end; ++it) {
        ++m_report.checkpoints;
        if (it->second.checkpoint.head == m_computed) {
            m_last_good_checkpoint = std::max(m_last_good_checkpoint, count);
            continue;
        }
        problem(0, it->second.source + ": the chain at entry " + std::to_string(count) + " has head " + hash_hex(m_computed)
            + ", but the checkpoint signed " + hash_hex(it->second.checkpoint.head) + ": an entry between " + std::to_string(m_last_good_checkpoint + 1)
            + " and " + std::to_string(count) + " was altered, removed or inserted and the stored hashes were rewritten");
    }
    if (begin != end)
        m_claims.erase(begin, end);
}

void ChainChecker::entry(store::AuditEntryRow const& row)
{
    last_disclosure.reset();
    auto const sequence = row.sequence;
    ++m_report.entries;
    if (sequence != m_next_sequence) {
        if (sequence > m_next_sequence)
            problem(m_next_sequence, at_entry(m_next_sequence) + "missing: the log goes from entry " + std::to_string(m_next_sequence - 1) + " to entry "
                + std::to_string(sequence) + " (deleted)");
        else
            problem(sequence, at_entry(sequence) + "out of order after entry " + std::to_string(m_next_sequence - 1));
    }
    m_next_sequence = sequence + 1;

    auto const stored = hash_from_bytes(row.entry_hash);
    // The two chains differ only after a break; hash once while they agree.
    bool const in_step = m_link == m_computed;
    m_computed = chain_hash(m_hasher, m_computed, row.body);
    auto const linked = in_step ? m_computed : chain_hash(m_hasher, m_link, row.body);
    if (!stored)
        problem(sequence, at_entry(sequence) + "its stored hash is not 32 bytes");
    else if (linked != *stored)
        problem(sequence, at_entry(sequence) + "its content or position does not match its stored hash (edited, inserted or reordered)");
    m_link = stored.value_or(linked);

    // The columns the queries read must say what the hashed body says.
    FieldReader reader(row.body);
    std::string_view name;
    std::string_view value;
    std::string_view body_sequence, body_kind, body_time, body_agency, body_file, body_list, body_count, body_digest, body_through, body_deleted;
    std::size_t index = 0;
    while (reader.next(name, value)) {
        if (index == 0 && name == "sequence")
            body_sequence = value;
        else if (index == 1 && name == "kind")
            body_kind = value;
        else if (index == 2 && name == "time")
            body_time = value;
        else if (name == "agency")
            body_agency = value;
        else if (name == "file_name")
            body_file = value;
        else if (name == "subject_list")
            body_list = value;
        else if (name == "subject_count")
            body_count = value;
        else if (name == "subject_digest")
            body_digest = value;
        else if (name == "subject_lists_through")
            body_through = value;
        else if (name == "subjects_deleted")
            body_deleted = value;
        ++index;
    }
    if (reader.malformed() || body_sequence.empty() || body_kind.empty()) {
        problem(sequence, at_entry(sequence) + "its body is not a well-formed entry encoding");
        check_claims_at(sequence);
        return;
    }
    if (body_sequence != std::to_string(sequence))
        problem(sequence, at_entry(sequence) + "its body is entry " + std::string(body_sequence) + " (moved or reordered)");
    if (body_kind != row.kind || body_time != row.recorded_at || body_agency != row.agency || body_file != row.file_name)
        problem(sequence, at_entry(sequence) + "its kind, time, agency or file_name column differs from its hashed body (edited)");
    auto const kind = entry_kind_from_string(body_kind);
    bool const is_disclosure = kind && carries_subjects(*kind);
    auto const list = base::parse_int64(body_list);
    if (is_disclosure) {
        if (!list || !row.subject_list || *row.subject_list != *list)
            problem(sequence, at_entry(sequence) + "its subject_list column differs from its hashed body (edited)");
        else
            last_disclosure = DisclosureClaim { sequence, *list, base::parse_int64(body_count).value_or(-1), std::string(body_digest) };
    } else if (row.subject_list) {
        problem(sequence, at_entry(sequence) + "a " + std::string(body_kind) + " entry with a subject_list column (edited)");
    }
    if (body_kind == to_string(EntryKind::Purge)) {
        auto const through = base::parse_int64(body_through);
        auto const deleted = base::parse_int64(body_deleted);
        if (!through || !deleted)
            problem(sequence, at_entry(sequence) + "a purge entry without a valid subject_lists_through and subjects_deleted");
        else
            m_purges.push_back({ sequence, *through, *deleted, stored && m_computed == *stored });
    }
    check_claims_at(sequence);
}

void ChainChecker::finish()
{
    m_report.head = m_computed;
    auto const count = m_next_sequence - 1;
    for (auto const& [claimed, claim] : m_claims) {
        ++m_report.checkpoints;
        problem(count + 1, claim.source + ": signed for " + std::to_string(claimed) + " entries, but the log ends at entry " + std::to_string(count)
            + ": entries " + std::to_string(count + 1) + " to " + std::to_string(claimed)
            + " are missing (the database was truncated or rolled back behind a published checkpoint)");
    }
    m_claims.clear();
    (void)m_first_sequence;
}

std::vector<CheckpointClaim> checked_claims(std::vector<CheckpointFileLine> const& lines, std::string const& source,
    std::optional<crypto::Ed25519PublicKey> const& key, VerifyReport& report)
{
    std::vector<CheckpointClaim> claims;
    for (auto const& line : lines) {
        auto const where = source + " line " + std::to_string(line.line_number);
        if (line.checkpoint.is_error()) {
            report.problems.push_back(where + ": " + line.checkpoint.error().message());
            continue;
        }
        if (!key) {
            report.problems.push_back(where + ": cannot check its signature: no signing key configured and no --public-key given");
            continue;
        }
        if (!verify_checkpoint(line.checkpoint.value(), *key)) {
            report.problems.push_back(where + ": the signature does not verify with key " + key->to_text());
            continue;
        }
        claims.push_back({ where, line.checkpoint.value() });
    }
    return claims;
}

} // namespace dcagw::audit
