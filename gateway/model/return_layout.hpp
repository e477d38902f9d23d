// model/return_layout: how one kind of file an agency sends back is laid out, as declared
// in the agency's mapping file ("returns", docs/returns.md).
//
// Owns: the in-memory form of one return layout: which files it reads (name glob, remote
// folder, header row), the format, each column's canonical return field, the money unit,
// the date format, and the tables from the agency's own codes to canonical facts (reasons,
// closures, refund types, acknowledgement and trace outcomes).
// Must never: read files (config/ reads the mapping, layouts/ reads return files) or guess
// a code that is not in its table.
#pragma once

#include "gateway/model/returns.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::model {

enum class ReturnFormat : std::uint8_t { Csv, JsonLines, Xml };

// Canonical fields a return column can fill. Which ones a kind needs: docs/returns.md.
enum class ReturnField : std::uint8_t {
    Ignore,             // a published column the gateway does not read (kept for the header)
    AccountReference,   // the pseudonym of account_ref we sent
    CustomerReference,  // the pseudonym of person_ref we sent
    Date,               // the line's date: activity, trace, payment, refund or payout date
    Code,               // the agency's status / reason / outcome code
    Amount,             // a payment, refund or payout line amount
    PaymentId,
    RefundId,
    RefundType,         // refund or chargeback, through refund_types
    PayoutId,
    PaidAt,             // RFC 3339 date-time, kept as written once checked
    FileName,           // the placement file an acknowledgement answers
    Gross,              // a payout's stated totals
    Commission,
    Vat,
    Net,
    AddressLine1,       // trace result fields (personal data received)
    AddressLine2,
    AddressLine3,
    Town,
    County,
    Postcode,
    Country,
    Phone,
    Email,
};

std::string_view to_string(ReturnField field);
std::optional<ReturnField> return_field_from_string(std::string_view text);
bool is_trace_field(ReturnField field);
bool is_money_field(ReturnField field);

enum class MoneyUnit : std::uint8_t {
    MinorUnits, // integer pence: "1250" is 12.50
    Pounds,     // pounds with exactly two decimals: "12.50"
};

// How an amount column is signed in the file. Refund reports often show refunds negative.
enum class AmountSign : std::uint8_t { Positive, Negative };

enum class ReturnDateFormat : std::uint8_t {
    IsoDate,  // YYYY-MM-DD
    Rfc3339,  // YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm): the date part is the line's date
    UkDate,   // DD/MM/YYYY
};

enum class AcknowledgementOutcome : std::uint8_t { Accepted, Rejected };
enum class TraceOutcome : std::uint8_t { Traced, Failed };

// Where an XML layout reads a column: a child element of the record (the default) or an
// attribute of the record element.
enum class XmlPlace : std::uint8_t { Element, Attribute };

struct ReturnColumn {
    std::string name;                 // the agency's column header (XML: element or attribute name)
    ReturnField field { ReturnField::Ignore };
    bool required { false };          // an empty value quarantines the line
    XmlPlace xml_place { XmlPlace::Element };
};

struct ReturnLayout {
    std::string name;                 // unique within the mapping, e.g. "indebted-payments"
    std::string description;
    ReturnKind kind { ReturnKind::Activity };
    // '*' any run of characters, '?' one character; everything else literal.
    std::string file_name_glob;
    // The remote folder (relative, as in the transport profile) the file must have been
    // collected from; empty: any folder.
    std::string remote_folder;
    ReturnFormat format { ReturnFormat::Csv };
    char csv_delimiter { ',' };
    bool csv_header { true };         // the first row must be the column names, in order
    std::string xml_root;             // XML: the root element, holding only record elements
    std::string xml_record;           // XML: the element of one line
    std::vector<ReturnColumn> columns;
    MoneyUnit money_unit { MoneyUnit::MinorUnits };
    AmountSign amount_sign { AmountSign::Positive };
    ReturnDateFormat date_format { ReturnDateFormat::IsoDate };
    // code -> canonical reason; a code mapped to nullopt is an activity with no reason. A
    // code not in the table quarantines its line.
    std::map<std::string, std::optional<ReturnReason>, std::less<>> reasons;
    std::vector<std::string> closure_codes;                 // codes that close the account
    std::map<std::string, MoneyKind, std::less<>> refund_types;                  // Refund kind
    std::map<std::string, AcknowledgementOutcome, std::less<>> acknowledgement_codes;
    std::map<std::string, TraceOutcome, std::less<>> trace_outcomes;

    ReturnColumn const* column_for(ReturnField field) const;
    bool is_closure_code(std::string_view code) const;
};

// '*' and '?' glob match of a whole file name.
bool glob_matches(std::string_view glob, std::string_view name);

} // namespace dcagw::model
