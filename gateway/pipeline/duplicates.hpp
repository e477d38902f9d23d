// pipeline/duplicates: finding rows of an export that share (account_ref, person_ref).
//
// Owns: the first streaming pass over an export, which fingerprints each row's key and
// content into hash-partitioned scratch files (so memory stays flat for any number of
// rows), then reports which keys occur more than once and whether their rows agree.
// Must never: keep rows or keys in memory beyond one partition's fingerprints and the
// (small) set of duplicated keys.
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/base/fingerprint.hpp"
#include "gateway/base/result.hpp"
#include "gateway/cases/case_reader.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dcagw::pipeline {

base::Fingerprint128 account_fingerprint(std::string_view account_ref);
base::Fingerprint128 key_fingerprint(model::RawRecord const& record);
base::Fingerprint128 content_fingerprint(model::RawRecord const& record);

// How a duplicated key's rows relate. Disagreeing rows are all rejected, since the
// gateway cannot know which is right; identical rows are placed once (the first) and the
// later copies quarantined as duplicates.
struct DuplicateKey {
    bool rows_disagree { false };
    std::uint64_t first_line { 0 };
    std::uint32_t occurrences { 0 };
};

class DuplicateIndex {
public:
    // Reads every record of `reader` (records the reader rejects are skipped: they are
    // quarantined in the main pass). Scratch files go to `scratch_folder` and are removed.
    // `on_rows` (optional) hears the number of records read so far, every few thousand.
    static base::Result<DuplicateIndex> build(cases::CaseReader& reader, std::filesystem::path const& scratch_folder,
        std::function<void(std::int64_t)> const& on_rows = {});

    DuplicateKey const* find(base::Fingerprint128 key) const;
    bool empty() const { return m_duplicates.empty(); }
    std::size_t size() const { return m_duplicates.size(); }

    // Accounts (debts) that appear on more than one row, e.g. joint debtors: the run must
    // keep all of an account's rows with one agency. Sorted, 16 bytes per such account.
    bool account_is_shared(base::Fingerprint128 account) const;
    std::size_t shared_account_count() const { return m_shared_accounts.size(); }
    // Every record the first pass read, rejected ones included: the second pass's total.
    std::int64_t rows() const { return m_rows; }

private:
    std::unordered_map<base::Fingerprint128, DuplicateKey, base::Fingerprint128Hash> m_duplicates;
    std::vector<base::Fingerprint128> m_shared_accounts;
    std::int64_t m_rows { 0 };
};

} // namespace dcagw::pipeline
