// rules/validation: deciding whether a raw export row is a well-formed case.
//
// Owns: every per-row check of the canonical export (required fields, integer pence,
// real calendar dates, no future date of birth, enumerations, Y/N flags, postcode
// present and plausible) and the conversion of a RawRecord into a typed CaseRecord.
// Must never: look at other rows (duplicates are the pipeline's job) or at agencies.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/case_record.hpp"

#include <vector>

namespace dcagw::rules {

class Validator {
public:
    explicit Validator(base::Date today) : m_today(today) {}

    // Fills `out` (pointing at `raw`) and returns true when the row is valid. Otherwise
    // appends one Rejection per problem found (file, line, account_ref, person_ref, field,
    // reason) to `rejections` and returns false.
    bool validate(model::RawRecord const& raw, model::CaseRecord& out, std::vector<model::Rejection>& rejections) const;

private:
    base::Date m_today;
};

} // namespace dcagw::rules
