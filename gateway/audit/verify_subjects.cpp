// The subject checks of `audit verify`: disclosures and subject blocks walked together in
// list order; then the purge exemptions and the subject index, once the chain is known.
#include "gateway/audit/verify_subjects.hpp"

#include "gateway/crypto/short_hash.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <map>
#include <set>

namespace dcagw::audit {

namespace {

constexpr std::size_t max_problems = 50;

// One disclosure's list as found: what it committed to and whether the stored blocks give
// exactly that.
struct ListOutcome {
    std::int64_t sequence;
    std::int64_t list;
    std::int64_t committed_count;
    std::string committed_digest;
    std::int64_t found_count;
    std::string found_digest;
    bool matches;
    bool has_blocks;
};

// An index entry as the digest sees it: the three big-endian integers of its blob (on
// the stack: verification digests a few million of them).
struct IndexElement {
    std::array<char, 24> bytes;
    std::string_view view() const { return { bytes.data(), bytes.size() }; }
};

IndexElement index_element(std::uint64_t key, std::int64_t list, std::int64_t ordinal)
{
    IndexElement element {};
    std::size_t at = 0;
    for (auto const value : { key, static_cast<std::uint64_t>(list), static_cast<std::uint64_t>(ordinal) })
        for (int shift = 56; shift >= 0; shift -= 8)
            element.bytes[at++] = static_cast<char>((value >> shift) & 0xff);
    return element;
}

// A purge vouched for: by the chain (its stored hash is the real content's) and, when the
// log has checkpoints, by one that signed it.
bool trusted(ChainChecker::PurgeClaim const& purge, PurgeRules const& rules)
{
    return purge.chain_intact && (!rules.has_checkpoints || purge.sequence <= rules.signed_through);
}

// A purge covers a disclosure recorded before it whose list it names.
bool covers(ChainChecker::PurgeClaim const& purge, ListOutcome const& outcome)
{
    return outcome.sequence < purge.sequence && outcome.list <= purge.lists_through;
}

} // namespace

// Compares each disclosure's subject list with the stored subject blocks, walking both in
// list order, and gathers what the index must hold.
class SubjectChecker {
public:
    SubjectChecker(store::AuditLog& log, VerifyReport& report) : m_log(log), m_report(report), m_set_key(crypto::SetDigestKey::random()) {}

    base::Result<void> open()
    {
        auto const key_bytes = TRY(m_log.subject_index_key());
        m_index_key.emplace(TRY(crypto::ShortHashKey::from_bytes(key_bytes)));
        m_cursor.emplace(TRY(m_log.subject_cursor()));
        return advance();
    }

    // Claims arrive sorted by list.
    base::Result<void> disclosure(ChainChecker::DisclosureClaim const& claim)
    {
        // A file sent both as age and OpenPGP is two entries sharing one list: each must
        // commit to what the list holds.
        if (!m_outcomes.empty() && m_outcomes.back().list == claim.list) {
            auto const last = m_outcomes.back();  // a copy: record() grows the vector
            record(claim, last.found_count, last.found_digest, last.has_blocks, m_last_well_formed);
            return {};
        }
        while (m_has_block && m_block.list < claim.list) {
            m_unclaimed.insert(m_block.list);
            (void)count_block();
            TRY(advance());
        }
        SubjectDigest digest;
        std::int64_t expected_block = 0;
        bool well_formed = true;
        bool has_blocks = false;
        while (m_has_block && m_block.list == claim.list) {
            has_blocks = true;
            auto const parsed = count_block();
            // Blocks are numbered from 0 and full (256) except the last.
            well_formed = well_formed && m_block.block == expected_block && parsed == m_block.subject_count && digest.count() % store::audit_subjects_per_block == 0;
            ++expected_block;
            digest.add_encoded(m_block.bytes, parsed);
            TRY(advance());
        }
        m_last_well_formed = well_formed;
        auto const count = digest.count();
        record(claim, count, hash_hex(digest.finish()), has_blocks, well_formed);
        return {};
    }

    base::Result<void> finish(PurgeRules const& rules)
    {
        while (m_has_block) {
            m_unclaimed.insert(m_block.list);
            (void)count_block();
            TRY(advance());
        }
        for (auto const list : m_unclaimed)
            problem(0, "subject list " + std::to_string(list) + " is in the subject table but no disclosure entry commits to it (inserted)");
        judge_lists(rules);
        check_purge_counts(rules);
        return check_index();
    }

private:
    void record(ChainChecker::DisclosureClaim const& claim, std::int64_t count, std::string const& hex, bool has_blocks, bool well_formed)
    {
        bool const matches = well_formed && count == claim.count && hex == claim.digest_hex;
        m_outcomes.push_back({ claim.sequence, claim.list, claim.count, claim.digest_hex, count, hex, matches, has_blocks });
    }

    // A list that does not give what its entry committed to is a problem, unless it is
    // gone entirely and a trusted purge after its entry names it. A purge only ever
    // exempts absence: stored subjects are checked whatever a purge says.
    void judge_lists(PurgeRules const& rules)
    {
        std::set<std::int64_t> untrusted_named;
        for (auto const& outcome : m_outcomes) {
            if (outcome.matches)
                continue;
            bool exempt = false;
            for (auto const& purge : rules.purges) {
                if (!outcome.has_blocks && covers(purge, outcome)) {
                    if (trusted(purge, rules))
                        exempt = true;
                    else
                        untrusted_named.insert(purge.sequence);
                }
            }
            if (exempt) {
                m_exempt_lists.insert(outcome.list);
                continue;
            }
            problem(outcome.sequence, "entry " + std::to_string(outcome.sequence) + ": subject list " + std::to_string(outcome.list) + " has "
                + std::to_string(outcome.found_count) + " subjects with digest " + outcome.found_digest + ", but the entry committed to "
                + std::to_string(outcome.committed_count) + " with digest " + outcome.committed_digest + " (subject rows edited, deleted or inserted)");
        }
        for (auto const sequence : untrusted_named)
            problem(sequence, "entry " + std::to_string(sequence) + ": a purge entry that no verified checkpoint covers exempts nothing (forged, or not signed yet: "
                + "`dcagw audit checkpoint` signs it)");
    }

    // A purge entry must record the subjects the chain says its newly purged lists held:
    // the committed counts of the lists it covers that no earlier purge covered.
    void check_purge_counts(PurgeRules const& rules)
    {
        for (std::size_t index = 0; index < rules.purges.size(); ++index) {
            auto const& purge = rules.purges[index];
            std::map<std::int64_t, std::int64_t> lists;  // list -> committed count
            for (auto const& outcome : m_outcomes) {
                if (!covers(purge, outcome))
                    continue;
                bool const earlier = std::any_of(rules.purges.begin(), rules.purges.begin() + static_cast<std::ptrdiff_t>(index),
                    [&](auto const& previous) { return covers(previous, outcome); });
                if (!earlier)
                    lists.emplace(outcome.list, outcome.committed_count);
            }
            std::int64_t expected = 0;
            for (auto const& [list, count] : lists)
                expected += count;
            if (expected != purge.subjects_deleted)
                problem(purge.sequence, "entry " + std::to_string(purge.sequence) + ": the purge records " + std::to_string(purge.subjects_deleted)
                    + " subjects deleted, but the disclosures before it in lists up to " + std::to_string(purge.lists_through) + " committed to "
                    + std::to_string(expected) + " (forged or edited purge)");
        }
    }

    // The index must hold exactly the entries the stored subjects give; entries of lists
    // a trusted purge emptied are left in place (they lead nowhere) and not counted.
    base::Result<void> check_index()
    {
        crypto::SetDigestKey::Digest found;
        std::int64_t stray = 0;
        bool const well_formed = TRY(m_log.for_each_subject_index_entry([&](std::int64_t key, std::int64_t list, std::int64_t ordinal) {
            if (m_lists_with_blocks.contains(list))
                m_set_key.add(found, index_element(static_cast<std::uint64_t>(key), list, ordinal).view());
            else if (!m_exempt_lists.contains(list))
                ++stray;
        }));
        if (!well_formed)
            problem(0, "a subject index block does not hold the number of entries it says (index edited)");
        if (stray > 0)
            problem(0, "the subject index has " + std::to_string(stray) + " entries naming subject lists that have no subjects and were not purged"
                + " (index edited: subject queries could invent shares)");
        if (found.count != m_expected_index.count)
            problem(0, "the subject index has " + std::to_string(found.count) + " entries for the stored subjects but the subjects need "
                + std::to_string(m_expected_index.count) + " (index edited: subject queries could miss or invent shares)");
        else if (found != m_expected_index)
            problem(0, "the subject index has the " + std::to_string(found.count)
                + " entries the stored subjects need, but not the same ones (index edited: subject queries could miss or invent shares)");
        return {};
    }

    void problem(std::int64_t sequence, std::string what)
    {
        if (sequence > 0 && (!m_report.first_bad_entry || sequence < *m_report.first_bad_entry))
            m_report.first_bad_entry = sequence;
        if (m_report.problems.size() < max_problems)
            m_report.problems.push_back(std::move(what));
    }

    // The block's subjects (-1 when its bytes do not parse), counted for the report, with
    // the index entries they need: one per distinct reference key of each subject, as the
    // writer makes them (SubjectRecorder::add).
    std::int64_t count_block()
    {
        std::int64_t count = 0;
        m_lists_with_blocks.insert(m_block.list);
        auto ordinal = m_block.block * store::audit_subjects_per_block;
        bool const parsed = store::for_each_subject_in_block(m_block.bytes, [&](std::string_view account, std::string_view person, std::string_view) {
            ++count;
            ++ordinal;
            auto const account_key = m_index_key->hash(account);
            auto const person_key = m_index_key->hash(person);
            m_set_key.add(m_expected_index, index_element(account_key, m_block.list, ordinal).view());
            if (person_key != account_key)
                m_set_key.add(m_expected_index, index_element(person_key, m_block.list, ordinal).view());
        });
        m_report.subjects += count;
        return parsed ? count : -1;
    }

    base::Result<void> advance()
    {
        m_has_block = TRY(m_cursor->next(m_block));
        return {};
    }

    store::AuditLog& m_log;
    VerifyReport& m_report;
    crypto::SetDigestKey m_set_key;
    std::optional<crypto::ShortHashKey> m_index_key;
    std::optional<store::AuditSubjectCursor> m_cursor;
    store::AuditSubjectBlock m_block;
    bool m_has_block { false };
    bool m_last_well_formed { true };
    std::vector<ListOutcome> m_outcomes;
    std::set<std::int64_t> m_unclaimed;
    std::set<std::int64_t> m_lists_with_blocks;
    std::set<std::int64_t> m_exempt_lists;
    crypto::SetDigestKey::Digest m_expected_index;
};

SubjectFeed::SubjectFeed(store::AuditLog& log) : m_log(log) {}

SubjectFeed::~SubjectFeed() = default;

base::Result<void> SubjectFeed::add(std::vector<ChainChecker::DisclosureClaim> const& claims)
{
    for (auto const& claim : claims) {
        if (!m_in_order)
            return {};
        // Inbound lists are numbered above every batch id, so in the stored (list) order
        // they all follow the disclosures' lists: they are checked after them, in finish().
        if (claim.list >= store::inbound_subject_list_base) {
            if (!m_inbound.empty() && claim.list < m_inbound.back().list) {
                m_in_order = false;
                m_checker.reset();
                return {};
            }
            m_inbound.push_back(claim);
            continue;
        }
        if (m_checker && claim.list < m_last_list) {
            m_in_order = false;
            m_checker.reset();  // and its findings so far
            return {};
        }
        TRY(start());
        TRY(m_checker->disclosure(claim));
        m_last_list = claim.list;
    }
    return {};
}

base::Result<void> SubjectFeed::finish(PurgeRules const& rules, VerifyReport& report)
{
    assert(m_in_order && "the sorted pass replaces finish()");
    TRY(start());
    for (auto const& claim : m_inbound)
        TRY(m_checker->disclosure(claim));
    TRY(m_checker->finish(rules));
    report.subjects += m_found.subjects;
    if (m_found.first_bad_entry && (!report.first_bad_entry || *m_found.first_bad_entry < *report.first_bad_entry))
        report.first_bad_entry = m_found.first_bad_entry;
    for (auto& problem : m_found.problems)
        if (report.problems.size() < max_problems)
            report.problems.push_back(std::move(problem));
    return {};
}

base::Result<void> check_subject_lists(store::AuditLog& log, std::vector<ChainChecker::DisclosureClaim> claims, PurgeRules const& rules,
    VerifyReport& report)
{
    std::sort(claims.begin(), claims.end(), [](auto const& a, auto const& b) { return a.list < b.list || (a.list == b.list && a.sequence < b.sequence); });
    SubjectChecker subjects(log, report);
    TRY(subjects.open());
    for (auto const& claim : claims)
        TRY(subjects.disclosure(claim));
    return subjects.finish(rules);
}

base::Result<void> SubjectFeed::start()
{
    if (!m_checker) {
        m_checker = std::make_unique<SubjectChecker>(m_log, m_found);
        TRY(m_checker->open());
    }
    return {};
}

} // namespace dcagw::audit
