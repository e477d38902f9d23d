#include "gateway/minimise/minimiser.hpp"

#include "gateway/base/text.hpp"
#include "gateway/minimise/transforms.hpp"

#include <cassert>

namespace dcagw::minimise {

namespace {

using model::CaseField;
using model::OutputColumn;
using model::Transform;

// Pseudonym inputs of several fields are joined with the ASCII unit separator, which
// validation keeps out of every field, so ("ab", "c") and ("a", "bc") never collide.
constexpr char pseudonym_separator = '\x1f';

bool sources_never_shared_field(model::Mapping const& mapping)
{
    for (auto const& column : mapping.columns)
        for (auto field : column.sources)
            if (model::info(field).never_shared)
                return true;
    return false;
}

// The characters base::trim removes.
bool is_trimmed_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view source_value(model::CaseRecord const& record, CaseField field)
{
    std::string_view const value = record.value(field);
    // Most values have nothing to trim; skip the call for them.
    if (value.empty() || (!is_trimmed_space(value.front()) && !is_trimmed_space(value.back())))
        return value;
    return base::trim(value);
}

// The non-empty sources joined with the column's separator: the input of every
// single-value transform (with one source it is simply that source's value).
void append_joined(std::string& out, model::CaseRecord const& record, OutputColumn const& column)
{
    bool first = true;
    for (auto field : column.sources) {
        std::string_view const value = source_value(record, field);
        if (value.empty())
            continue;
        if (!first)
            out.append(column.separator);
        out.append(value);
        first = false;
    }
}

// "column 'X' <problem>": the column is how the operator finds the mapping entry.
base::Error column_error(OutputColumn const& column, std::string_view problem)
{
    std::string message = "column '" + column.name + "' ";
    message.append(problem);
    return base::make_error(base::ErrorCode::RecordInvalid, std::move(message));
}

// "column 'X': value 'v' <problem>". The value is shown because a lookup miss or a bad
// date is fixed by editing either the mapping or that value; JSON escaping keeps control
// characters out of logs.
base::Error column_value_error(OutputColumn const& column, std::string_view value, std::string_view problem)
{
    std::string escaped;
    base::append_json_string(escaped, value);
    std::string message = "column '" + column.name + "': value '";
    message.append(std::string_view(escaped).substr(1, escaped.size() - 2)); // without its double quotes
    message += "' ";
    message.append(problem);
    return base::make_error(base::ErrorCode::RecordInvalid, std::move(message));
}

void append_pseudonym(std::string& out, model::CaseRecord const& record, OutputColumn const& column, model::Pseudonymiser const& pseudonymiser)
{
    // The domain is the source field's name (docs/keys.md, "Pseudonyms"): the same value
    // in two fields gets two unrelated pseudonyms.
    if (column.sources.size() == 1) {
        std::string_view const value = source_value(record, column.sources.front());
        if (!value.empty())
            pseudonymiser.append_pseudonym(out, model::name_of(column.sources.front()), value);
        return;
    }
    // One buffer per thread, reused, so several-field pseudonyms allocate nothing in
    // steady state and two threads never share it. The domain is the fields' names joined
    // as the values are.
    thread_local std::string input;
    thread_local std::string domain;
    input.clear();
    domain.clear();
    bool any_value = false;
    for (std::size_t i = 0; i < column.sources.size(); ++i) {
        if (i > 0) {
            input.push_back(pseudonym_separator);
            domain.push_back(pseudonym_separator);
        }
        std::string_view const value = source_value(record, column.sources[i]);
        any_value = any_value || !value.empty();
        input.append(value);
        domain.append(model::name_of(column.sources[i]));
    }
    // A pseudonym of nothing would be the same for every person: leave the column empty
    // (a required column then rejects the record) rather than link unrelated people.
    if (any_value)
        pseudonymiser.append_pseudonym(out, domain, input);
}

base::Result<void> apply_transform(std::string& out, model::CaseRecord const& record, OutputColumn const& column, model::Pseudonymiser const& pseudonymiser)
{
    switch (column.transform) {
    case Transform::Constant:
        out.append(column.constant);
        return {};
    case Transform::Pseudonym:
        append_pseudonym(out, record, column, pseudonymiser);
        return {};
    default:
        break;
    }

    append_joined(out, record, column);
    switch (column.transform) {
    case Transform::Copy:
    case Transform::Concatenate:
        break;
    case Transform::Upper: upper_in_place(out); break;
    case Transform::Lower: lower_in_place(out); break;
    case Transform::Title: title_in_place(out); break;
    case Transform::Truncate:
        // A zero max_length means "no limit" here as everywhere else; the configuration
        // check is where a truncate without a length is refused.
        if (column.max_length > 0)
            truncate_in_place(out, column.max_length);
        break;
    case Transform::Mask: mask_in_place(out, column.keep_last, column.mask_char); break;
    case Transform::DateFormat: {
        if (out.empty())
            break;
        auto const date = base::Date::parse(out);
        if (!date)
            return column_value_error(column, out, "is not a date in the form YYYY-MM-DD");
        out.clear();
        append_formatted_date(out, *date, column.date_format);
        break;
    }
    case Transform::PenceToPounds: {
        if (out.empty())
            break;
        auto const pence = base::parse_int64(out);
        if (!pence)
            return column_value_error(column, out, "is not a whole number of pence");
        out.clear();
        append_pounds(out, *pence);
        break;
    }
    case Transform::Lookup: {
        auto const entry = column.table.find(std::string_view(out));
        if (entry != column.table.end()) {
            out.assign(entry->second);
        } else if (column.default_value) {
            out.assign(*column.default_value);
        } else if (!out.empty()) {
            // An empty source with no table entry stays empty: "not recorded" is not an
            // error of the row (a required column still rejects it below).
            return column_value_error(column, out, "has no entry in the lookup table and the column has no default");
        }
        break;
    }
    case Transform::Constant:
    case Transform::Pseudonym:
        break; // handled above
    }
    return {};
}

} // namespace

Minimiser::Minimiser(model::Mapping const& mapping, model::Pseudonymiser const& pseudonymiser)
    : m_mapping(mapping)
    , m_pseudonymiser(pseudonymiser)
    , m_sources_never_shared(sources_never_shared_field(mapping))
{
    // The configuration check refuses such a mapping before a Minimiser is built; reaching
    // here with one is a programming error. Release builds still refuse every row in apply().
    assert(!m_sources_never_shared && "a mapping column sources a never-shared field");
    m_column_names.reserve(mapping.columns.size());
    for (auto const& column : mapping.columns)
        m_column_names.push_back(column.name);
}

base::Result<void> Minimiser::apply(model::CaseRecord const& record, std::vector<std::string>& values) const
{
    if (m_sources_never_shared)
        return base::make_error(base::ErrorCode::Internal, "the mapping for agency '" + m_mapping.agency + "' sources a never-shared field; nothing is produced");
    values.resize(m_mapping.columns.size());
    for (std::size_t i = 0; i < m_mapping.columns.size(); ++i) {
        OutputColumn const& column = m_mapping.columns[i];
        std::string& out = values[i];
        out.clear();
        TRY(apply_transform(out, record, column, m_pseudonymiser));
        if (column.max_length > 0)
            truncate_in_place(out, column.max_length);
        if (column.required && out.empty())
            return column_error(column, "is required but empty");
    }
    return {};
}

} // namespace dcagw::minimise
