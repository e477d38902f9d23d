// audit/verify_subjects: the subject side of `audit verify` (docs/audit.md, "Verification
// rules"): each disclosure's subject list against the stored subject blocks, and the
// subject index's size against the subjects.
//
// Owns: walking the disclosures and the subject blocks together in list order, and the
// wording of what it finds.
// Must never: repair or skip what it finds, or let the order the disclosures arrive in
// change the findings.
#pragma once

#include "gateway/audit/verify.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace dcagw::audit {

class SubjectChecker;

// Checks the subject lists while the entries are still being read (on the reading thread,
// which has time to spare while the other one hashes), as long as the disclosures arrive
// in list order, as the journal writes them. It holds one list at a time, so its memory
// does not grow with the log. A list number out of order (rows edited) makes it drop its
// findings and say so (in_order() false): the caller then collects every disclosure and
// hands them to check_subject_lists, which checks them sorted, as a whole. The findings
// are the same either way, and go into the report after the chain's.
class SubjectFeed {
public:
    SubjectFeed(store::AuditLog& log, std::int64_t purged_through);
    ~SubjectFeed();
    SubjectFeed(SubjectFeed const&) = delete;
    SubjectFeed& operator=(SubjectFeed const&) = delete;

    // Disclosures in sequence order.
    base::Result<void> add(std::vector<ChainChecker::DisclosureClaim> const& claims);
    bool in_order() const { return m_in_order; }
    // Only when in_order().
    base::Result<void> finish(VerifyReport& report);

private:
    base::Result<void> start();

    store::AuditLog& m_log;
    std::int64_t m_purged_through;
    VerifyReport m_found;  // the subject checks' findings while in order
    std::unique_ptr<SubjectChecker> m_checker;
    bool m_in_order { true };
    std::int64_t m_last_list { 0 };
};

// The sorted pass: every disclosure's list against the stored subject blocks.
base::Result<void> check_subject_lists(store::AuditLog& log, std::int64_t purged_through, std::vector<ChainChecker::DisclosureClaim> claims,
    VerifyReport& report);

} // namespace dcagw::audit
