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
