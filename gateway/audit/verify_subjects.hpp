// audit/verify_subjects: the subject side of `audit verify` (docs/audit.md, "Verification
// rules", 6): each disclosure's subject list against the stored subject blocks, the purge
// entries' exemptions, and the subject index's content against the subjects.
//
// Owns: walking the disclosures and the subject blocks together in list order, deciding
// which missing lists a purge entry exempts (only lists it covers, of disclosures before
// it, when the chain, and a checkpoint if the log has any, vouch for the purge), and the
// wording of what it finds.
// Must never: repair or skip what it finds, let the order the disclosures arrive in change
// the findings, or let a purge entry widen what goes unchecked beyond what it commits to.
#pragma once

#include "gateway/audit/verify.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace dcagw::audit {

class SubjectChecker;

// What the chain says about purges, known once the walk is over.
struct PurgeRules {
    std::vector<ChainChecker::PurgeClaim> purges;
    // ChainChecker::signed_through(): entries up to it are as a checkpoint signed them.
    std::int64_t signed_through { 0 };
    // The log has checkpoints (database rows or file lines). Then a purge exempts nothing
    // until a verified checkpoint covers it; without any, the chain alone vouches for it.
    bool has_checkpoints { false };
};

// Checks the subject lists while the entries are still being read (on the reading thread,
// which has time to spare while the other one hashes), as long as the disclosures arrive
// in list order, as the journal writes them. It holds one list's blocks at a time and one
// small record per disclosure. A list number out of order (rows edited) makes it drop its
// findings and say so (in_order() false): the caller then collects every disclosure and
// hands them to check_subject_lists, which checks them sorted, as a whole. The findings
// are the same either way, and go into the report after the chain's.
class SubjectFeed {
public:
    explicit SubjectFeed(store::AuditLog& log);
    ~SubjectFeed();
    SubjectFeed(SubjectFeed const&) = delete;
    SubjectFeed& operator=(SubjectFeed const&) = delete;

    // Disclosures in sequence order.
    base::Result<void> add(std::vector<ChainChecker::DisclosureClaim> const& claims);
    bool in_order() const { return m_in_order; }
    // Only when in_order().
    base::Result<void> finish(PurgeRules const& rules, VerifyReport& report);

private:
    base::Result<void> start();

    store::AuditLog& m_log;
    VerifyReport m_found;  // the subject checks' findings while in order
    std::unique_ptr<SubjectChecker> m_checker;
    bool m_in_order { true };
    std::int64_t m_last_list { 0 };
    std::vector<ChainChecker::DisclosureClaim> m_inbound;  // inbound entries' claims, checked last
};

// The sorted pass: every disclosure's list against the stored subject blocks.
base::Result<void> check_subject_lists(store::AuditLog& log, std::vector<ChainChecker::DisclosureClaim> claims, PurgeRules const& rules,
    VerifyReport& report);

} // namespace dcagw::audit
