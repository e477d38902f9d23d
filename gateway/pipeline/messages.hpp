// pipeline/messages: the lifecycle messages owed to agencies, written into the agencies'
// own files and spooled like placement files (issue #15; docs/lifecycle.md, "Writing the
// messages").
//
// Owns: for each agency, taking the messages no file carries yet, grouping them by the
// mapping's message layout for their kind, and for each group: the batch row (committed
// before a byte is written), the layout's writer streamed into the agency's encryption
// envelope(s) in the spool, and one transaction that seals the batch, assigns the
// messages to it and appends the file's audit disclosure entry (its fields and its
// subjects); then the rename into place. A crash leaves either a file recorded with its
// messages, or no file and the messages still unwritten (recovery as for placements).
// Must never: let plaintext reach the spool, write a message twice, or guess an agency
// code the layout does not have (such a message is reported and left unwritten).
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/config.hpp"
#include "gateway/model/lifecycle_message.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::store {
class Ledger;
}

namespace dcagw::pipeline {

struct MessagesOptions {
    std::optional<std::string> agency;   // only this agency
    base::Date today;                    // the run's as-of date
    // The file's moment ({date}, {time} in its name; a message's processed_at when its
    // notice time cannot be read). Unset: the clock. Tests set it for stable names.
    std::optional<model::UtcTime> made_at;
    std::string actor { "operator" };
    // Tests only: called with "written" (the file is complete, nothing committed) and
    // "committed" (recorded, not yet renamed), where a test kills the process.
    std::function<void(std::string_view)> on_step;
};

struct MessageFileOutcome {
    std::string agency;
    std::string layout;                  // the mapping's message layout name
    std::string file_name;               // the first envelope's file name
    std::string remote_folder;           // where `dcagw send` puts it; empty: the upload folder
    std::vector<std::filesystem::path> files;  // spooled ciphertext, one per envelope
    std::int64_t messages { 0 };
};

// A message left unwritten: the layout cannot say it (no code for its reason), or the
// mapping declares no layout for its kind. It stays owed and is reported on every run.
struct RefusedMessage {
    std::string agency;
    std::string account_ref;
    std::string kind;
    std::string reason;                  // the canonical reason, or empty
    std::string error;                   // the whole sentence, naming agency, account and reason
};

struct MessagesSummary {
    std::int64_t run { 0 };              // 0 when there was nothing to write
    std::vector<MessageFileOutcome> files;
    std::vector<RefusedMessage> refused;
    std::vector<std::string> recovered;  // interrupted batches finished or discarded first
    std::optional<std::string> checkpoint;
    std::vector<std::string> warnings;

    std::int64_t messages_written() const;
    // schemas/messages-summary.schema.json.
    std::string to_json() const;
};

// `dcagw messages write`: takes the state directory's run lock and recovers interrupted
// batches first, as `dcagw place` does.
base::Result<MessagesSummary> write_messages(model::GatewayConfig const& config, MessagesOptions const& options);

// The same for a caller that already holds the run lock and has recovered (place()).
base::Result<MessagesSummary> write_messages_locked(model::GatewayConfig const& config, MessagesOptions const& options);

} // namespace dcagw::pipeline
