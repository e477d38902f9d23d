// store/returns: what agencies sent back, in the ledger's database: inbound files,
// placement state changes, payments, refunds, payouts, suspense, trace results, the
// quarantine of return lines, and the (agency, pseudonym) -> placement index.
//
// Owns: the tables of migration 6 and every SQL statement on them (prepared, parameters
// bound; the hot ones prepared once per Returns object), and the allowed placement
// states. Writes happen inside the caller's transaction (ingest applies a file in one).
// Must never: decide anything (matching, commission, exactly-once rules are the ingest's
// and money's), or store personal data outside trace_results (a suspense item holds the
// agency's pseudonymous reference, never a name or address).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/returns.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::store {

// A placement's states (docs/returns-ledger.md has the machine): open, on_hold, returned,
// closed_paid, settled, recalled, closed. Earlier ledgers know open, closed, recalled and
// returned only; every one of those is still valid.
bool is_placement_state(std::string_view state);

enum class InboundState { Applied, Refused };
std::string_view to_string(InboundState state);

struct InboundCounts {
    std::int64_t lines { 0 };
    std::int64_t applied { 0 };
    std::int64_t duplicates { 0 };
    std::int64_t conflicts { 0 };
    std::int64_t quarantined { 0 };
    std::int64_t suspense { 0 };
};

struct InboundFile {
    std::int64_t id { 0 };
    std::string agency;
    std::string file_name;
    std::string sha256;               // of the file as collected (hex)
    std::string kind;                 // model::to_string(ReturnKind)
    InboundState state { InboundState::Applied };
    std::string refusal_reason;
    std::int64_t same_name_as { 0 };  // an earlier file of this name, other content; or 0
    std::string collected_at;
    std::string applied_at;           // filled in by record_file
    InboundCounts counts;
};

// A placement as returns matching needs it.
struct MatchedPlacement {
    std::int64_t id { 0 };
    std::string account_ref;
    std::string person_ref;
    std::string status;
    std::int64_t balance_pence { 0 };
    std::string placed_at;  // UTC, ISO 8601
    // Read with the match, so a payment line needs no further look-up of its placement:
    // which placement of the debt this is (Returns::placement_number) and the gross paid
    // and refunded so far (Returns::placement_money), as of the look-up.
    std::int64_t placement_number { 1 };
    std::int64_t paid_pence { 0 };
    std::int64_t refunded_pence { 0 };
};

struct ReturnEvent {
    std::int64_t id { 0 };
    std::int64_t placement { 0 };
    std::string agency;
    std::string from_state;
    std::string to_state;
    std::string reason;       // canonical reason name ("PIF"), or empty
    std::string agency_code;  // as the agency wrote it
    std::string event_date;   // YYYY-MM-DD
    std::int64_t file { 0 };
    std::int64_t line { 0 };
    std::string recorded_at;
    std::string account_ref;  // read back only (from the placement)
};

// A state change with the name of the inbound file that made it (placements show).
struct PlacementEvent {
    ReturnEvent event;
    std::string file_name;
};

// One payment or refund as stored: amounts in pence, positive (a refund's reverse a
// payment's; docs/returns-ledger.md).
struct MoneyRecord {
    std::int64_t id { 0 };
    std::string agency;
    std::string money_id;      // payment_id, or refund_id for a refund
    std::string payment_id;    // for a refund: the payment it reverses (else = money_id)
    std::int64_t placement { 0 };
    std::string kind;          // payment | direct_payment | refund | chargeback
    model::MoneySplit split;
    std::string date;          // YYYY-MM-DD
    std::string paid_at;
    std::string payout_id;     // payments: the payout it was paid over in, once known
    std::string agency_code;   // refunds
    std::string content_hash;
    std::int64_t file { 0 };
    std::int64_t line { 0 };
    std::int64_t duplicate_count { 0 };
    std::string recorded_at;
    std::string account_ref;   // read back only
};

struct MoneyFilter {
    std::optional<std::string> agency;
    std::optional<std::int64_t> placement;
};

struct Payout {
    std::string agency;
    std::string payout_id;
    std::string payout_date;
    std::optional<model::MoneySplit> stated;  // from a totals line, when the file has one
    std::int64_t file { 0 };
    std::int64_t line { 0 };
};

struct PayoutItem {
    std::string payout_id;
    std::string payment_id;
    std::int64_t amount_pence { 0 };
    std::int64_t file { 0 };
    std::int64_t line { 0 };
};

enum class SuspenseState { Open, Resolved, Rejected };
std::string_view to_string(SuspenseState state);

struct SuspenseItem {
    std::int64_t id { 0 };
    std::string agency;
    std::string line_kind;           // model::to_string(ReturnKind)
    std::string reference;           // the agency reference quoted (a pseudonym)
    std::string customer_reference;
    std::string payment_id;
    std::string content_hash;        // of a payment line: a re-sent line is a duplicate
    std::int64_t amount_pence { 0 };
    std::string item_date;           // the line's own date, YYYY-MM-DD
    std::string reason;
    std::int64_t file { 0 };
    std::string file_name;           // read back only
    std::int64_t line { 0 };
    std::string owner;
    SuspenseState state { SuspenseState::Open };
    std::string resolved_account;
    std::string resolved_by;
    std::string resolved_reason;
    std::string resolved_at;
    std::string created_at;
};

struct TraceResult {
    std::int64_t placement { 0 };
    std::string agency;
    bool traced { false };
    std::string fields_json;  // {"field": "value", ...}: personal data received
    std::string result_date;
    std::int64_t file { 0 };
    std::int64_t line { 0 };
};

struct PlacementMoney {
    std::int64_t balance_pence { 0 };   // at placement
    std::int64_t paid_pence { 0 };      // gross of payments and direct payments
    std::int64_t refunded_pence { 0 };  // gross of refunds and chargebacks
    std::int64_t outstanding() const { return balance_pence - paid_pence + refunded_pence; }
};

class Returns {
public:
    // Shares the ledger's connection; the ledger must outlive this object.
    explicit Returns(Ledger& ledger);
    ~Returns();
    Returns(Returns const&) = delete;
    Returns& operator=(Returns const&) = delete;

    // Inbound files.
    base::Result<std::optional<InboundFile>> find_file(std::string_view agency, std::string_view sha256);
    // The newest file of this name from the agency, whatever its content.
    base::Result<std::optional<InboundFile>> find_file_named(std::string_view agency, std::string_view file_name);
    base::Result<std::int64_t> record_file(InboundFile const& file);
    base::Result<std::optional<InboundFile>> find_file_by_id(std::int64_t id);
    // Removes a refused file's record so the same content can be read again (`ingest
    // --retry`; the audit log keeps the refusal). Internal error unless it is refused.
    base::Result<void> release_refused_file(std::int64_t id);
    base::Result<void> set_file_counts(std::int64_t file, InboundCounts const& counts);
    base::Result<std::vector<InboundFile>> list_files(std::optional<std::string> const& agency);

    // The matching index, in memory for the Ledger object's life (store/match_index.hpp).
    // refresh adds the agency's placements made since its mark and returns how many (the
    // first call loads all of them, one sequential scan); call it outside a transaction or
    // in one that adds no placements (ingest's file transaction). placements_with_pseudonym
    // fills `out` (an out-parameter so its capacity is reused), oldest first, each read from
    // its row and compared with the pseudonym.
    base::Result<std::int64_t> refresh_pseudonym_index(std::string_view agency);
    base::Result<void> placements_with_pseudonym(std::string_view agency, std::string_view pseudonym, std::vector<MatchedPlacement>& out);

    // Placement states: moves the placement and records the event, together.
    base::Result<void> move_placement(ReturnEvent const& event);
    base::Result<void> for_each_event(std::optional<std::string> const& agency, std::function<void(ReturnEvent const&)> const& visit);
    // One placement's state changes, oldest first, with the inbound file's name.
    base::Result<std::vector<PlacementEvent>> events_of_placement(std::int64_t placement);

    // Payments and refunds.
    base::Result<std::optional<MoneyRecord>> find_payment(std::string_view agency, std::string_view payment_id);
    base::Result<std::optional<MoneyRecord>> find_refund(std::string_view agency, std::string_view refund_id);
    base::Result<std::int64_t> add_payment(MoneyRecord const& payment);
    base::Result<std::int64_t> add_refund(MoneyRecord const& refund);
    enum class MoneyTable { Payments, Refunds };
    base::Result<void> count_duplicate(MoneyTable table, std::int64_t id);
    base::Result<void> set_payout_of_payment(std::string_view agency, std::string_view payment_id, std::string_view payout_id);
    base::Result<void> for_each_payment(MoneyFilter const& filter, std::function<void(MoneyRecord const&)> const& visit);
    base::Result<void> for_each_refund(MoneyFilter const& filter, std::function<void(MoneyRecord const&)> const& visit);
    base::Result<PlacementMoney> placement_money(std::int64_t placement);
    // What the refunds of one payment have reversed so far.
    base::Result<model::MoneySplit> reversed_against(std::string_view agency, std::string_view payment_id);
    // Which placement of the debt this is: 1 + the placements of the same account and
    // person with other agencies before it (commission bands depend on it).
    base::Result<std::int64_t> placement_number(std::int64_t placement);

    // Payouts. add_payout records the payout once (a second file naming it adds nothing
    // and returns false); set_payout_totals records a totals line's figures.
    base::Result<bool> add_payout(Payout const& payout);
    base::Result<void> set_payout_totals(std::string_view agency, std::string_view payout_id, model::MoneySplit const& stated);
    base::Result<bool> add_payout_item(std::string_view agency, PayoutItem const& item);
    base::Result<std::vector<Payout>> list_payouts(std::string_view agency);
    base::Result<std::vector<PayoutItem>> payout_items(std::string_view agency, std::string_view payout_id);

    // Suspense.
    base::Result<std::int64_t> add_suspense(SuspenseItem const& item);
    base::Result<std::optional<SuspenseItem>> find_suspense(std::int64_t id);
    // The first suspense item (any state) of this agency's payment id.
    base::Result<std::optional<SuspenseItem>> find_suspense_payment(std::string_view agency, std::string_view payment_id);
    base::Result<std::vector<SuspenseItem>> list_suspense(std::optional<std::string> const& agency, std::optional<SuspenseState> state);
    // open -> resolved | rejected; refuses an item that is not open.
    base::Result<void> resolve_suspense(std::int64_t id, SuspenseState outcome, std::string_view account, std::string_view by, std::string_view reason);
    // Gives an open item another owner; NotFound for no such item, Usage for one decided.
    base::Result<void> assign_suspense(std::int64_t id, std::string_view owner);

    // Trace results and quarantined lines.
    base::Result<std::int64_t> add_trace(TraceResult const& trace);
    base::Result<std::int64_t> count_traces(std::int64_t placement);
    base::Result<void> add_quarantine(std::string_view agency, std::int64_t file, std::int64_t line, std::string_view field, std::string_view reason);
    base::Result<std::int64_t> count_quarantine(std::int64_t file);

    struct State;

private:
    // An update of an open suspense item changed nothing: the item, decided already, or
    // NotFound naming `operation`.
    base::Result<SuspenseItem> decided_suspense(std::int64_t id, std::string const& operation);
    Ledger& m_ledger;
    std::unique_ptr<State> m_state;
};

} // namespace dcagw::store
