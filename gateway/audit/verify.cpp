#include "gateway/audit/verify.hpp"

#include "gateway/base/text.hpp"
#include "gateway/crypto/short_hash.hpp"

#include <set>

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
    m_computed = chain_hash(m_computed, row.body);
    auto const linked = chain_hash(m_link, row.body);
    if (!stored)
        problem(sequence, at_entry(sequence) + "its stored hash is not 32 bytes");
    else if (linked != *stored)
        problem(sequence, at_entry(sequence) + "its content or position does not match its stored hash (edited, inserted or reordered)");
    m_link = stored.value_or(linked);

    // The columns the queries read must say what the hashed body says.
    FieldReader reader(row.body);
    std::string_view name;
    std::string_view value;
    std::string_view body_sequence, body_kind, body_time, body_agency, body_file, body_list, body_count, body_digest;
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
    bool const is_disclosure = body_kind == to_string(EntryKind::Disclosure);
    auto const list = base::parse_int64(body_list);
    if (is_disclosure) {
        if (!list || !row.subject_list || *row.subject_list != *list)
            problem(sequence, at_entry(sequence) + "its subject_list column differs from its hashed body (edited)");
        else
            last_disclosure = DisclosureClaim { sequence, *list, base::parse_int64(body_count).value_or(-1), std::string(body_digest) };
    } else if (row.subject_list) {
        problem(sequence, at_entry(sequence) + "a " + std::string(body_kind) + " entry with a subject_list column (edited)");
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

namespace {

// Compares each disclosure's subject list with the subject rows, walking both in order.
class SubjectChecker {
public:
    SubjectChecker(store::AuditLog& log, crypto::ShortHashKey key, std::int64_t purged_through, VerifyReport& report)
        : m_log(log), m_key(key), m_purged_through(purged_through), m_report(report)
    {
    }

    base::Result<void> open()
    {
        m_cursor.emplace(TRY(m_log.subject_cursor()));
        return advance();
    }

    base::Result<void> disclosure(ChainChecker::DisclosureClaim const& claim)
    {
        if (claim.list <= m_purged_through)
            return {}; // its subjects were purged (and the purge is an entry)
        // Lists the cursor passes without a disclosure are remembered: their disclosure
        // may come later in the log.
        while (m_has_row && m_row.list < claim.list) {
            m_unclaimed.insert(m_row.list);
            TRY(skip_list());
        }
        SubjectDigest digest;
        if (m_has_row && m_row.list == claim.list) {
            while (m_has_row && m_row.list == claim.list) {
                count_subject();
                digest.add(m_row.account_ref, m_row.person_ref, m_row.pseudonym);
                TRY(advance());
            }
        } else if (m_unclaimed.erase(claim.list) > 0) {
            TRY(m_log.subjects_of_list(claim.list, [&](store::AuditSubjectRow const& row) {
                digest.add(row.account_ref, row.person_ref, row.pseudonym);
                return true;
            }));
        } else if (m_claimed.contains(claim.list)) {
            problem(claim.sequence, "entry " + std::to_string(claim.sequence) + ": discloses subject list " + std::to_string(claim.list)
                + ", which an earlier entry already disclosed");
            return {};
        }
        m_claimed.insert(claim.list);
        auto const count = digest.count();
        auto const hex = hash_hex(digest.finish());
        if (count != claim.count || hex != claim.digest_hex)
            problem(claim.sequence, "entry " + std::to_string(claim.sequence) + ": subject list " + std::to_string(claim.list) + " has " + std::to_string(count)
                + " subjects with digest " + hex + ", but the entry committed to " + std::to_string(claim.count) + " with digest " + claim.digest_hex
                + " (subject rows edited, deleted or inserted)");
        return {};
    }

    base::Result<void> finish()
    {
        while (m_has_row) {
            if (m_row.list > m_purged_through)
                m_unclaimed.insert(m_row.list);
            TRY(skip_list());
        }
        for (auto const list : m_unclaimed)
            if (list > m_purged_through)
                problem(0, "subject list " + std::to_string(list) + " is in the subject table but no disclosure entry commits to it (inserted)");
        auto const index_rows = TRY(m_log.subject_index_count());
        if (index_rows != m_expected_index_rows)
            problem(0, "the subject index has " + std::to_string(index_rows) + " rows but the subjects need " + std::to_string(m_expected_index_rows)
                + " (index edited: subject queries could miss or invent shares)");
        return {};
    }

private:
    void problem(std::int64_t sequence, std::string what)
    {
        if (sequence > 0 && (!m_report.first_bad_entry || sequence < *m_report.first_bad_entry))
            m_report.first_bad_entry = sequence;
        if (m_report.problems.size() < max_problems)
            m_report.problems.push_back(std::move(what));
    }

    void count_subject()
    {
        ++m_report.subjects;
        m_expected_index_rows += m_key.hash(m_row.account_ref) == m_key.hash(m_row.person_ref) ? 1 : 2;
    }

    base::Result<void> advance()
    {
        m_has_row = TRY(m_cursor->next(m_row));
        return {};
    }

    base::Result<void> skip_list()
    {
        auto const list = m_row.list;
        while (m_has_row && m_row.list == list) {
            count_subject();
            TRY(advance());
        }
        return {};
    }

    store::AuditLog& m_log;
    crypto::ShortHashKey m_key;
    std::int64_t m_purged_through;
    VerifyReport& m_report;
    std::optional<store::AuditSubjectCursor> m_cursor;
    store::AuditSubjectRow m_row;
    bool m_has_row { false };
    std::set<std::int64_t> m_unclaimed;
    std::set<std::int64_t> m_claimed;
    std::int64_t m_expected_index_rows { 0 };
};

} // namespace

base::Result<VerifyReport> verify_ledger(store::Ledger& ledger, VerifyOptions const& options)
{
    VerifyReport report;
    auto& log = ledger.audit();

    std::vector<CheckpointClaim> claims;
    std::vector<CheckpointFileLine> database_lines;
    for (auto& [id, checkpoint] : TRY(stored_checkpoints(ledger)))
        database_lines.push_back({ static_cast<std::size_t>(id), std::move(checkpoint) });
    claims = checked_claims(database_lines, "database checkpoint", options.key, report);
    std::error_code missing;
    if (options.checkpoint_file && !std::filesystem::exists(*options.checkpoint_file, missing)) {
        // No file yet is normal before the first checkpoint; after one, it was removed.
        if (database_lines.empty())
            report.notes.push_back("the checkpoint file " + options.checkpoint_file->string() + " does not exist yet (no checkpoint was signed)");
        else
            report.problems.push_back("the checkpoint file " + options.checkpoint_file->string() + " is missing, but the database has "
                + std::to_string(database_lines.size()) + " checkpoint(s): a rollback of the database could not be detected");
    } else if (options.checkpoint_file) {
        auto const lines = TRY_CONTEXT(read_checkpoint_file(*options.checkpoint_file), "reading the checkpoint file");
        auto file_claims = checked_claims(lines, options.checkpoint_file->string(), options.key, report);
        claims.insert(claims.end(), std::make_move_iterator(file_claims.begin()), std::make_move_iterator(file_claims.end()));
    } else {
        report.notes.push_back("no checkpoint file given or configured: a database rolled back to an earlier copy cannot be detected");
    }

    // The newest purge says up to which list the subjects were deleted on purpose. It is
    // read ahead of the walk; the walk then checks the purge entry like any other.
    std::int64_t purged_through = 0;
    TRY(log.last_entry_of_kind(to_string(EntryKind::Purge), [&](store::AuditEntryRow const& row) {
        if (auto entry = decode(row.body); entry.ok())
            purged_through = entry.value().number("subject_lists_through");
        return false;
    }));

    auto const key_bytes = TRY(log.subject_index_key());
    auto const key = TRY(crypto::ShortHashKey::from_bytes(key_bytes));
    SubjectChecker subjects(log, key, purged_through, report);
    TRY(subjects.open());
    ChainChecker chain(genesis_hash, 1, std::move(claims), report);
    std::optional<base::Error> failure;
    TRY(log.for_each_entry([&](store::AuditEntryRow const& row) {
        chain.entry(row);
        if (chain.last_disclosure) {
            auto checked = subjects.disclosure(*chain.last_disclosure);
            if (checked.is_error()) {
                failure = checked.release_error();
                return false;
            }
        }
        return true;
    }));
    if (failure)
        return *failure;
    chain.finish();
    TRY(subjects.finish());
    return report;
}

} // namespace dcagw::audit
