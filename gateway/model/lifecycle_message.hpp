// model/lifecycle_message: one message the creditor owes an agency about a debt it already
// holds (issue #15), and how an agency's mapping lays such messages out ("messages",
// docs/lifecycle.md).
//
// Owns: the message kinds (balance update, hold, release, recall), the typed facts of one
// message, and the in-memory form of one outbound message layout: which kinds it carries,
// its file name pattern, each column's message field, the money unit and sign, the
// timestamp format, the transaction types by direction and the table from canonical
// reasons to the agency's own codes. The interface between lifecycle/ (which decides
// what is owed), layouts/ (which writes it) and the pipeline that sends it.
// Must never: read or write files, or decide what an agency is owed.
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/model/return_layout.hpp"
#include "gateway/model/returns.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::model {

// A close is the creditor's own ending of the debt (paid or settled direct); a recall
// takes the debt back for any other reason.
enum class MessageKind : std::uint8_t { BalanceUpdate, Hold, Release, Recall, Close };

std::string_view to_string(MessageKind kind); // "balance_update", "hold", "release", "recall", "close"
std::optional<MessageKind> message_kind_from_string(std::string_view text);

// What an agency's agreement says to do when a concern arrives about a debt it holds:
// pause work on it (a hold) or give it back (a recall).
enum class ConcernAction : std::uint8_t { Hold, Recall };
std::string_view to_string(ConcernAction action); // "hold", "recall"

// Per agency, from the configuration's `lifecycle_policy` (docs/lifecycle.md). The
// defaults follow domain.md: a breathing space, dispute, complaint or capacity concern
// pauses the agency (the debt may resume); an insolvency or a death returns the debt.
struct LifecyclePolicy {
    ConcernAction breathing_space { ConcernAction::Hold };
    ConcernAction mental_health_crisis { ConcernAction::Hold };
    ConcernAction dispute { ConcernAction::Hold };
    ConcernAction complaint { ConcernAction::Hold };
    ConcernAction mental_capacity { ConcernAction::Hold };
    ConcernAction insolvency { ConcernAction::Recall };
    ConcernAction deceased { ConcernAction::Recall };
};

// A moment in UTC to the millisecond: Ophelos stamps transactions to the millisecond.
struct UtcTime {
    base::Date date;
    int hour { 0 };
    int minute { 0 };
    int second { 0 };
    int millisecond { 0 };
};

struct LifecycleMessage {
    MessageKind kind { MessageKind::BalanceUpdate };
    std::string account_reference;   // the per-agency pseudonym we placed the debt under
    std::string customer_reference;  // the pseudonym of person_ref, for layouts that quote it
    std::string transaction_ref;     // unique per message and agency, kept in the ledger
    UtcTime processed_at;
    std::optional<ReturnReason> reason;     // Hold, Release, Recall, Close
    std::int64_t balance_change_pence { 0 }; // BalanceUpdate: signed, never zero
    std::optional<base::Date> until;        // Hold: when it ends, where known
    bool force { false };                   // Recall: the operator forced it
};

// What a message column holds.
enum class MessageField : std::uint8_t {
    Empty,             // a published optional column the gateway leaves empty (notes)
    AccountReference,
    CustomerReference,
    TransactionRef,
    ProcessedAt,       // the message's moment, in the layout's timestamp format
    Amount,            // the balance change, in the layout's unit and sign
    TransactionType,   // the agency's type for the change's direction
    Reason,            // the agency's code for the canonical reason
    Note,              // a hold's end date (YYYY-MM-DD), else empty
    Force,             // "true" / "false"
    Action,            // the kind's name: "hold", "release", "recall", "close", "balance_update"
};

std::string_view to_string(MessageField field);
std::optional<MessageField> message_field_from_string(std::string_view text);

enum class TimestampFormat : std::uint8_t {
    Rfc3339,       // 2021-01-30T21:37:42Z (InDebted ProcessedAt)
    IsoMillis,     // 2021-12-31T06:10:15.123, UTC (Ophelos transaction_at)
};

// How the amount column shows a balance change.
enum class AmountStyle : std::uint8_t {
    Signed,     // the change itself: negative when the balance goes down (Ophelos)
    Magnitude,  // always > 0; the transaction type tells the direction (InDebted)
};

struct MessageColumn {
    std::string name;
    MessageField field { MessageField::Empty };
};

struct MessageLayout {
    std::string name;          // unique within the mapping, e.g. "ophelos-closures"
    std::string description;
    std::vector<MessageKind> kinds;
    // Tokens: {agency} {date} (YYYYMMDD) {iso_date} (YYYY-MM-DD) {time} (hh-mm-ss, UTC)
    // {sequence} {sequence:N}; must contain {date} or {iso_date}.
    std::string file_name_pattern;
    // The remote folder (relative, as in the transport profile) the file goes to; empty:
    // the agency's upload folder. InDebted names every upload YYYY-MM-DD-hh-mm-ss.csv and
    // tells them apart by folder.
    std::string remote_folder;
    char csv_delimiter { ',' };
    std::vector<MessageColumn> columns;
    MoneyUnit money_unit { MoneyUnit::MinorUnits };
    AmountStyle amount_style { AmountStyle::Signed };
    TimestampFormat timestamp_format { TimestampFormat::Rfc3339 };
    std::string increase_type;  // TransactionType when the balance goes up ("Charge")
    std::string decrease_type;  // ... and down ("Payment": paid direct to the creditor)
    // Per kind, canonical reason -> the agency's code (Ophelos's DISP holds, RTC returns);
    // a message whose kind and reason are not here cannot be written in this layout
    // (refused, never guessed).
    std::map<MessageKind, std::map<ReturnReason, std::string>> reasons;

    std::string const* code_for(MessageKind kind, ReturnReason reason) const;

    bool carries(MessageKind kind) const;
    bool has_field(MessageField field) const;
};

} // namespace dcagw::model
