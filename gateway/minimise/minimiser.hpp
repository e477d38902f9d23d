// minimise/minimiser: turning a valid case into exactly the values one agency may see.
//
// Owns: applying a mapping's columns and transforms (copy/rename, date format, case,
// truncate, mask, constant, concatenate, pence to pounds, lookup, pseudonym) to a case.
// Must never: read a field the mapping does not name, or produce a value for a
// never-shared field (vulnerability_notes, notes): the constructor asserts the mapping
// was checked.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/mapping.hpp"
#include "gateway/model/pseudonymiser.hpp"

#include <string>
#include <vector>

namespace dcagw::minimise {

// How each column is produced (the transforms themselves are in transforms.hpp):
// - Source values are trimmed of surrounding whitespace first.
// - Every transform but Constant and Pseudonym works on the non-empty sources joined with
//   the column's separator (with one source: that value).
// - DateFormat and PenceToPounds leave an empty value empty; a value that is not a date or
//   whole pence (a mapping pointed at the wrong field) is a RecordInvalid error.
// - Lookup: the table entry, else default_value, else an empty value stays empty and any
//   other value is a RecordInvalid error naming the column and the value.
// - Pseudonym: the pseudonymiser's reference of the trimmed sources joined with '\x1f'
//   (empty ones included, so positions cannot be confused); empty when every source is
//   empty, because one pseudonym of nothing would link unrelated people.
// - max_length > 0 then truncates any result to that many code points; a required column
//   that ends up empty is a RecordInvalid error "column 'X' is required but empty".
// A Minimiser holds no per-row state and may be shared by threads.
class Minimiser {
public:
    // Both are referenced, not copied: they must outlive the Minimiser.
    Minimiser(model::Mapping const& mapping, model::Pseudonymiser const& pseudonymiser);

    // Fills `values` (resized to the column count, strings reused between calls to avoid
    // allocation) with the agency's row. A RecordInvalid error names the column and why
    // (a lookup with no entry and no default, a required column left empty).
    base::Result<void> apply(model::CaseRecord const& record, std::vector<std::string>& values) const;

    // The output column names in order: the exact list of fields this agency is sent.
    std::vector<std::string> const& column_names() const { return m_column_names; }

private:
    model::Mapping const& m_mapping;
    model::Pseudonymiser const& m_pseudonymiser;
    std::vector<std::string> m_column_names;
    // Set only for a mapping the configuration check should have refused (see apply()).
    bool m_sources_never_shared { false };
};

} // namespace dcagw::minimise
