// The subject checks of `audit verify`: disclosures and subject blocks walked together in
// list order.
#include "gateway/audit/verify_subjects.hpp"

#include <algorithm>
#include <cassert>
#include <set>

namespace dcagw::audit {

namespace {

constexpr std::size_t max_problems = 50;

} // namespace

// Compares each disclosure's subject list with the stored subject blocks, walking both in
// list order.
class SubjectChecker {
public:
    SubjectChecker(store::AuditLog& log, std::int64_t purged_through, VerifyReport& report)
        : m_log(log), m_purged_through(purged_through), m_report(report)
    {
    }

    base::Result<void> open()
    {
        m_cursor.emplace(TRY(m_log.subject_cursor()));
        return advance();
    }

    // Claims arrive sorted by list.
    base::Result<void> disclosure(ChainChecker::DisclosureClaim const& claim)
    {
        if (claim.list <= m_purged_through)
            return {}; // its subjects were purged (and the purge is an entry)
        // A file sent both as age and OpenPGP is two entries sharing one list: each must
        // commit to what the list holds.
        if (m_last_claimed && *m_last_claimed == claim.list) {
            compare(claim, m_last_count, m_last_digest, m_last_well_formed);
            return {};
        }
        m_last_claimed = claim.list;
        while (m_has_block && m_block.list < claim.list) {
            if (m_block.list > m_purged_through)
                m_unclaimed.insert(m_block.list);
            (void)count_block();
            TRY(advance());
        }
        SubjectDigest digest;
        std::int64_t expected_block = 0;
        bool well_formed = true;
        while (m_has_block && m_block.list == claim.list) {
            auto const parsed = count_block();
            // Blocks are numbered from 0 and full (256) except the last.
            well_formed = well_formed && m_block.block == expected_block && parsed == m_block.subject_count && digest.count() % store::audit_subjects_per_block == 0;
            ++expected_block;
            digest.add_encoded(m_block.bytes, parsed);
            TRY(advance());
        }
        m_last_count = digest.count();
        m_last_digest = hash_hex(digest.finish());
        m_last_well_formed = well_formed;
        compare(claim, m_last_count, m_last_digest, m_last_well_formed);
        return {};
    }

    base::Result<void> finish()
    {
        while (m_has_block) {
            if (m_block.list > m_purged_through)
                m_unclaimed.insert(m_block.list);
            (void)count_block();
            TRY(advance());
        }
        for (auto const list : m_unclaimed)
            problem(0, "subject list " + std::to_string(list) + " is in the subject table but no disclosure entry commits to it (inserted)");
        auto const index_entries = TRY(m_log.subject_index_count(m_purged_through));
        if (index_entries != m_expected_index_entries)
            problem(0, "the subject index has " + std::to_string(index_entries) + " entries but the subjects need " + std::to_string(m_expected_index_entries)
                + " (index edited: subject queries could miss or invent shares)");
        return {};
    }

private:
    void compare(ChainChecker::DisclosureClaim const& claim, std::int64_t count, std::string const& hex, bool well_formed)
    {
        if (!well_formed || count != claim.count || hex != claim.digest_hex)
            problem(claim.sequence, "entry " + std::to_string(claim.sequence) + ": subject list " + std::to_string(claim.list) + " has " + std::to_string(count)
                + " subjects with digest " + hex + ", but the entry committed to " + std::to_string(claim.count) + " with digest " + claim.digest_hex
                + " (subject rows edited, deleted or inserted)");
    }

    void problem(std::int64_t sequence, std::string what)
    {
        if (sequence > 0 && (!m_report.first_bad_entry || sequence < *m_report.first_bad_entry))
            m_report.first_bad_entry = sequence;
        if (m_report.problems.size() < max_problems)
            m_report.problems.push_back(std::move(what));
    }

    // The block's subjects (-1 when its bytes do not parse), counted for the report and
    // the index they need.
    std::int64_t count_block()
    {
        std::int64_t count = 0;
        bool const parsed = store::for_each_subject_in_block(m_block.bytes, [&](std::string_view account, std::string_view person, std::string_view) {
            ++count;
            // The writer indexes a subject once when both references have one key; two
            // different references sharing a 64-bit key is not a case worth a hash here.
            if (m_block.list > m_purged_through)
                m_expected_index_entries += account == person ? 1 : 2;
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
    std::int64_t m_purged_through;
    VerifyReport& m_report;
    std::optional<store::AuditSubjectCursor> m_cursor;
    store::AuditSubjectBlock m_block;
    bool m_has_block { false };
    std::optional<std::int64_t> m_last_claimed;
    std::int64_t m_last_count { 0 };
    std::string m_last_digest;
    bool m_last_well_formed { true };
    std::set<std::int64_t> m_unclaimed;
    std::int64_t m_expected_index_entries { 0 };
};

SubjectFeed::SubjectFeed(store::AuditLog& log, std::int64_t purged_through) : m_log(log), m_purged_through(purged_through) {}

SubjectFeed::~SubjectFeed() = default;

base::Result<void> SubjectFeed::add(std::vector<ChainChecker::DisclosureClaim> const& claims)
{
    for (auto const& claim : claims) {
        if (!m_in_order)
            return {};
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

base::Result<void> SubjectFeed::finish(VerifyReport& report)
{
    assert(m_in_order && "the sorted pass replaces finish()");
    TRY(start());
    TRY(m_checker->finish());
    report.subjects += m_found.subjects;
    if (m_found.first_bad_entry && (!report.first_bad_entry || *m_found.first_bad_entry < *report.first_bad_entry))
        report.first_bad_entry = m_found.first_bad_entry;
    for (auto& problem : m_found.problems)
        if (report.problems.size() < max_problems)
            report.problems.push_back(std::move(problem));
    return {};
}

base::Result<void> check_subject_lists(store::AuditLog& log, std::int64_t purged_through, std::vector<ChainChecker::DisclosureClaim> claims,
    VerifyReport& report)
{
    std::sort(claims.begin(), claims.end(), [](auto const& a, auto const& b) { return a.list < b.list || (a.list == b.list && a.sequence < b.sequence); });
    SubjectChecker subjects(log, purged_through, report);
    TRY(subjects.open());
    for (auto const& claim : claims)
        TRY(subjects.disclosure(claim));
    return subjects.finish();
}

base::Result<void> SubjectFeed::start()
{
    if (!m_checker) {
        m_checker = std::make_unique<SubjectChecker>(m_log, m_purged_through, m_found);
        TRY(m_checker->open());
    }
    return {};
}

} // namespace dcagw::audit
