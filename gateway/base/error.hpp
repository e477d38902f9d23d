// base/error: the one error catalogue of the gateway.
//
// Owns: the list of error codes every module reports, their stable names, the exit code
// each maps to, and the Error value (code + message + context chain).
// Must never: carry secret material or case data beyond the identifiers needed to find
// the problem (file, line, field, account reference); throw.
#pragma once

#include <string>
#include <string_view>

namespace dcagw::base {

// One list, like OpenSSH's ssherr.h. Add new codes at the end of their group; the names
// are part of the CLI's output and of the tests.
enum class ErrorCode {
    // Usage and configuration (exit code 2).
    Usage,
    ConfigInvalid,
    MappingInvalid,
    // Input data (exit code 1 when it only rejects records).
    InputTooLarge,
    InputMalformed,
    RecordInvalid,
    // Files and the operating system (exit code 3).
    FileNotFound,
    FileUnreadable,
    FileWriteFailed,
    PermissionsTooOpen,
    AlreadyExists,
    // Cryptography (exit code 1 for bad input files, 3 otherwise).
    KeyInvalid,
    CryptoFailure,
    HeaderInvalid,
    NoMatchingIdentity,
    HeaderMacMismatch,
    PayloadCorrupt,
    ArmorInvalid,
    UnsupportedRecipient,
    SignatureInvalid,
    // State store (exit code 3).
    StoreFailure,
    StoreCorrupt,
    NotFound,
    // Transport (exit code 3). TransportFailure and TransferIncomplete are transient (worth
    // a retry); the others are permanent: retrying cannot help until someone acts.
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
    // Audit log verification (exit code 1: the evidence does not verify).
    AuditChainBroken,
    AuditCheckpointInvalid,
    // Programming errors that escaped an assert in release builds (exit code 3).
    Internal,
};

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

    // "reading x: line 3: unknown transform 'uppcase'".
    std::string to_text() const;

private:
    ErrorCode m_code;
    std::string m_message;
    std::string m_context;
};

} // namespace dcagw::base
