// base/error: the one error catalogue of the gateway.
//
// Owns: the list of error codes every module reports and the one table that says, per
// code, its stable name, the process exit code, whether a retry can help, the hint the CLI
// prints and whether the CLI names the kind before the message; the Error value (code,
// message, context chain, optional hint of its own).
// Must never: carry secret material or case data beyond the identifiers needed to find
// the problem (file, line, field, account reference); throw.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace dcagw::base {

// The process exit codes (docs/cli.md, "Exit codes").
enum class ExitCode : int {
    Ok = 0,
    Rejected = 1,        // some records rejected, or a verification / decryption failure
    Usage = 2,           // usage or configuration error
    RuntimeFailure = 3,  // I/O, state store, transport
};

// One list, like OpenSSH's ssherr.h. Add new codes at the end of their group and give each
// its row in error.cpp's table (the build fails otherwise); the names are part of the
// CLI's output and of the tests. The exit code of each code is in that table and in
// docs/cli.md ("Error kinds"); the groups below are for reading, not for deciding.
enum class ErrorCode {
    // Usage and configuration: exit 2.
    Usage,
    ConfigInvalid,
    MappingInvalid,
    // Input data that cannot be read as a whole: exit 1 (records refused, nothing lost).
    InputTooLarge,
    InputMalformed,
    RecordInvalid,
    // Files and the operating system: exit 3, except PermissionsTooOpen and AlreadyExists
    // (exit 2: the operator must fix a mode or chose a file that is never replaced).
    FileNotFound,
    FileUnreadable,
    FileWriteFailed,
    PermissionsTooOpen,
    AlreadyExists,
    // Cryptography: KeyInvalid exit 2 (a configured key is unusable), CryptoFailure exit 3
    // (the library failed), the rest exit 1 (the input file does not decrypt or verify).
    KeyInvalid,
    CryptoFailure,
    HeaderInvalid,
    NoMatchingIdentity,
    HeaderMacMismatch,
    PayloadCorrupt,
    ArmorInvalid,
    UnsupportedRecipient,
    SignatureInvalid,
    // State store: exit 3, except StateMissing (exit 2: the configured state directory
    // holds no ledger, so a read command refuses instead of creating an empty one).
    StoreFailure,
    StoreCorrupt,
    NotFound,
    StateMissing,
    // Transport: exit 3. TransportFailure and TransferIncomplete are transient (worth a
    // retry); the others are permanent: retrying cannot help until someone acts.
    TransportFailure,
    TransferIncomplete,
    HostKeyMismatch,
    TlsVerificationFailed,
    AuthenticationFailed,
    RemotePermissionDenied,
    RemoteFileExists,
    RemoteNameInvalid,
    // The server understood the request but will not carry it out as sent (HTTP 400, 405,
    // 409 and other client errors that are neither authentication nor permission).
    RemoteRequestRefused,
    // Audit log verification: exit 1 (the evidence does not verify).
    AuditChainBroken,
    AuditCheckpointInvalid,
    // Programming errors that escaped an assert in release builds: exit 3. Keep it last.
    Internal,
};

inline constexpr std::size_t error_code_count = static_cast<std::size_t>(ErrorCode::Internal) + 1;

// Whether a failure may go away if the same thing is simply tried again later.
enum class Retry { Permanent, Transient };
// Whether the CLI prints the kind's name before the message ("no match: ..."), as the age
// testkit names decryption failures, so an operator and a script can tell a wrong key
// from a damaged file.
enum class Naming { MessageOnly, KindFirst };

// One row of the catalogue.
struct ErrorKind {
    ErrorCode code;
    std::string_view name;
    ExitCode exit_code;
    Retry retry;
    Naming naming;
    std::string_view hint;  // empty when there is nothing general to suggest
};

// Every row, in ErrorCode order (row i describes the code with value i).
std::span<ErrorKind const> error_kinds();
ErrorKind const& kind_of(ErrorCode code);

std::string_view to_string(ErrorCode code);

// The process exit code the CLI uses for an error of this kind (see docs/cli.md).
int exit_code_for(ErrorCode code);

// Whether a failed transfer may succeed if simply tried again later (network down, server
// restarting, connection cut mid-file). Authentication, host key, TLS, permission and
// name-collision failures are permanent: retrying them only hides the problem.
bool is_transient(ErrorCode code);

class Error {
public:
    Error(ErrorCode code, std::string message) : m_code(code), m_message(std::move(message)) {}

    ErrorCode code() const { return m_code; }
    const std::string& message() const { return m_message; }

    // Prepends where the error was met, e.g. "reading mappings/ophelos.json: line 12".
    // Context is added as the error crosses a layer, outermost first in the final text.
    Error& add_context(std::string_view where);
    Error with_context(std::string_view where) &&;

    // A hint for this error only ("run `dcagw place --help`"); it replaces the kind's.
    Error with_hint(std::string_view hint) &&;
    // This error's own hint, else its kind's; empty when there is none.
    std::string_view hint() const;

    // "reading x: line 3: unknown transform 'uppcase'".
    std::string to_text() const;

private:
    ErrorCode m_code;
    std::string m_message;
    std::string m_context;
    std::string m_hint;
};

} // namespace dcagw::base
