// model/mapping: one agency's data sharing agreement made executable.
//
// Owns: the in-memory form of a mappings/*.json file: the output layout, each output
// column with its source fields and transform, the file name pattern, the agency's
// eligibility rules, and the layouts of the files it returns (model/return_layout).
// Must never: read files (config/mapping_reader does) or apply transforms (minimise does).
#pragma once

#include "gateway/model/case_fields.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/lifecycle_message.hpp"
#include "gateway/model/return_layout.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::model {

enum class Transform : std::uint8_t {
    Copy,            // the source value as it is (rename = Copy under another column name)
    DateFormat,      // a Date field re-written with `date_format` (strftime-like %Y %m %d)
    Upper,           // case
    Lower,
    Title,
    Truncate,        // first `max_length` characters (UTF-8 aware)
    Mask,            // all but the last `keep_last` characters replaced by `mask_char`
    Constant,        // `constant`, no source
    Concatenate,     // sources joined with `separator`, empty ones skipped
    PenceToPounds,   // integer pence -> "12.34"
    Lookup,          // `table[value]`, else `default_value`, else the record is an error
    Pseudonym,       // the agency's keyed pseudonymous reference of the sources
};

std::string_view to_string(Transform transform);
std::optional<Transform> transform_from_string(std::string_view text);

struct OutputColumn {
    std::string name;              // the agency's column / key / element name
    Transform transform { Transform::Copy };
    std::vector<CaseField> sources;
    std::string date_format { "%Y-%m-%d" };
    std::size_t max_length { 0 };  // Truncate; also applies after any transform when > 0
    std::size_t keep_last { 4 };   // Mask
    char mask_char { '*' };
    std::string constant;
    std::string separator { " " };
    std::map<std::string, std::string, std::less<>> table;
    std::optional<std::string> default_value;
    bool required { false };       // an empty result rejects the record for this agency
};

enum class OutputFormat : std::uint8_t { Csv, Json, Xml };
enum class VulnerablePolicy : std::uint8_t { Exclude, HandlingCodeOnly };

struct Eligibility {
    std::vector<DebtType> debt_types;          // empty = all
    std::optional<std::int64_t> minimum_balance_pence;
    std::optional<std::int64_t> maximum_balance_pence;
    VulnerablePolicy vulnerable { VulnerablePolicy::Exclude };
};

struct Mapping {
    std::string agency;                         // agency id this mapping belongs to
    std::string description;
    OutputFormat format { OutputFormat::Csv };
    // Tokens: {agency} {date} (YYYYMMDD) {sequence} (1, 2, ...) {sequence:3} (zero padded).
    std::string file_name_pattern;
    char csv_delimiter { ',' };
    bool csv_header { true };
    bool crlf { false };                        // CRLF line endings (CSV)
    std::string xml_root { "Placements" };
    std::string xml_record { "Account" };
    std::vector<OutputColumn> columns;
    Eligibility eligibility;
    // What the agency sends back, one layout per kind of file (docs/returns.md); empty:
    // no return file of this agency can be read.
    std::vector<ReturnLayout> returns;
    // What the creditor tells the agency about debts it holds, one layout per file
    // (docs/lifecycle.md); empty: no lifecycle message can be sent to this agency.
    std::vector<MessageLayout> messages;

    // The canonical fields any column reads, in first-use order: what the agency is sent.
    std::vector<CaseField> fields_shared() const;
};

// A conservative XML element name: ASCII letter or '_' first, then letters, digits, '_',
// '-', '.'; no ':' (namespaces) and no "xml" prefix (reserved by XML 1.0). Both the mapping
// reader (refusing a bad name) and the XML layout writer (never emitting one) ask this.
bool is_valid_xml_name(std::string_view name);

} // namespace dcagw::model
