// store/lifecycle: the lifecycle messages owed to agencies about debts they hold, and what
// each agency was told (migration 11; issue #15, docs/lifecycle.md "What the ledger keeps").
//
// Owns: the lifecycle_messages table and the placements' told_* columns, and every SQL
// statement on them (prepared, parameters bound). Recording a message and moving what
// the agency was told happen in one statement group inside the caller's transaction, so a
// message is either owed and counted in the told state, or neither: a rerun after a crash
// derives nothing twice.
// Must never: decide what is owed (lifecycle/ does), write or send a file, or hand out
// personal data beyond the references the ledger already holds.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/lifecycle_message.hpp"
#include "gateway/store/ledger.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::store {

// Where a message came from: a placement run comparing an export with the ledger, or an
// operator command (`dcagw hold` ...).
enum class MessageOrigin { Export, Operator };
std::string_view to_string(MessageOrigin origin);

// One message owed to an agency about one debt (an account: joint debtors share it).
struct OwedMessage {
    std::int64_t id { 0 };                  // filled in when read back
    std::string agency;
    std::string account_ref;
    std::int64_t placement { 0 };           // the account's oldest open placement there: its pseudonym is the reference
    model::MessageKind kind { model::MessageKind::BalanceUpdate };
    std::optional<model::ReturnReason> reason;
    std::int64_t change_pence { 0 };        // BalanceUpdate: signed, never zero
    std::optional<std::string> until;       // Hold: YYYY-MM-DD
    bool force { false };
    std::string transaction_ref;            // unique per agency
    MessageOrigin origin { MessageOrigin::Export };
    std::int64_t run { 0 };                 // the placement run, 0 for an operator
    std::string actor;
    std::string notice_received_at;         // when the creditor learnt it (UTC, ISO 8601)
    std::string recorded_at;                // filled in by the store
    std::int64_t batch { 0 };               // the file that carries it, 0 until written
    // Read back only: the placement's pseudonym and person (the layout's references).
    std::string pseudonym;
    std::string person_ref;
};

// A hold and how far its evidence has got (reg 12: notice received, agent notified,
// agent acknowledged).
struct HoldRecord {
    OwedMessage message;
    std::string file_name;        // the file that carried it, once written
    std::string notified_at;      // the file's delivery, or empty
    std::string acknowledged_at;  // the agency's acknowledgement of that file, or empty
};

class LifecycleMessages {
public:
    // Shares the ledger's connection; the ledger must outlive this object.
    explicit LifecycleMessages(Ledger& ledger);

    // Records the message and moves what the agency was told, on every open placement of
    // the account there: a balance update adds its change, a hold sets the hold, a
    // release clears it, a recall or close marks a recall asked for. Refuses a
    // transaction reference the agency was already given (UNIQUE), a balance update of
    // zero, or an account with no open placement at the agency.
    base::Result<std::int64_t> record(OwedMessage const& message);
    // The agency's messages no file carries yet, oldest first.
    base::Result<std::vector<OwedMessage>> unwritten(std::string_view agency);
    // Marks the messages written into `batch` (in the caller's transaction, with the batch).
    base::Result<void> assign_batch(std::vector<std::int64_t> const& ids, std::int64_t batch);
    // Every message about the account, at every agency, oldest first.
    base::Result<std::vector<OwedMessage>> of_account(std::string_view account_ref);
    // Holds with their evidence, newest first; `agency` narrows to one.
    base::Result<std::vector<HoldRecord>> holds(std::optional<std::string> const& agency);
    // The number the next message recorded will have (one above every message so far:
    // messages are never deleted). An operator's message is referenced `O<number>`,
    // unique per agency because message numbers are, and saying nothing about the debt.
    base::Result<std::int64_t> next_message_number();
    // The name of the file that carries each of the account's messages (of_account's
    // order and ids), empty while no file does: the timeline of `placements show`.
    base::Result<std::map<std::int64_t, std::string>> file_names_of_account(std::string_view account_ref);

private:
    Ledger& m_ledger;
};

} // namespace dcagw::store
