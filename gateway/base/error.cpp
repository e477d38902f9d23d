#include "gateway/base/error.hpp"

#include <array>
#include <cassert>

namespace dcagw::base {

namespace {

using enum ErrorCode;
constexpr auto usage = ExitCode::Usage;
constexpr auto rejected = ExitCode::Rejected;
constexpr auto failure = ExitCode::RuntimeFailure;
constexpr auto permanent = Retry::Permanent;
constexpr auto transient = Retry::Transient;
constexpr auto message_only = Naming::MessageOnly;
constexpr auto kind_first = Naming::KindFirst;

constexpr std::string_view config_check_hint = "run `dcagw config check --config FILE` to list every problem";

// The catalogue: one row per code, in the enum's order (checked below). docs/cli.md
// ("Error kinds") lists the same names and exit codes, and tests/unit/base compares them.
constexpr std::array<ErrorKind, error_code_count> kinds { {
    { Usage, "usage", usage, permanent, message_only, "" },
    { ConfigInvalid, "invalid configuration", usage, permanent, message_only, config_check_hint },
    { MappingInvalid, "invalid mapping", usage, permanent, message_only, config_check_hint },
    { InputTooLarge, "input exceeds a limit", rejected, permanent, message_only, "" },
    { InputMalformed, "malformed input", rejected, permanent, message_only, "" },
    { RecordInvalid, "invalid record", rejected, permanent, message_only, "" },
    { FileNotFound, "file not found", failure, permanent, message_only, "" },
    { FileUnreadable, "cannot read file", failure, permanent, message_only, "" },
    { FileWriteFailed, "cannot write file", failure, permanent, message_only, "" },
    { PermissionsTooOpen, "permissions too open", usage, permanent, message_only, "" },
    // The operator asked to replace a file the gateway never replaces.
    { AlreadyExists, "already exists", usage, permanent, message_only, "" },
    { KeyInvalid, "invalid key", usage, permanent, message_only, "" },
    { CryptoFailure, "cryptographic failure", failure, permanent, message_only, "" },
    { HeaderInvalid, "header failure", rejected, permanent, kind_first, "" },
    { NoMatchingIdentity, "no match", rejected, permanent, kind_first, "the file was not encrypted to any of the identities given" },
    { HeaderMacMismatch, "HMAC failure", rejected, permanent, kind_first, "" },
    { PayloadCorrupt, "payload failure", rejected, permanent, kind_first, "" },
    { ArmorInvalid, "armor failure", rejected, permanent, kind_first, "" },
    { UnsupportedRecipient, "unsupported recipient type", rejected, permanent, kind_first, "" },
    { SignatureInvalid, "signature invalid", rejected, permanent, kind_first, "" },
    { StoreFailure, "state store failure", failure, permanent, message_only, "" },
    { StoreCorrupt, "state store corrupt", failure, permanent, message_only, "" },
    { NotFound, "not found", failure, permanent, message_only, "" },
    { StateMissing, "no state", usage, permanent, message_only,
        "check state_directory in the configuration; `dcagw place` creates the state on its first run" },
    { TransportFailure, "transport failure", failure, transient, message_only, "" },
    { TransferIncomplete, "transfer incomplete", failure, transient, message_only, "" },
    { HostKeyMismatch, "host key mismatch", failure, permanent, message_only, "" },
    { TlsVerificationFailed, "TLS verification failed", failure, permanent, message_only, "" },
    { AuthenticationFailed, "authentication failed", failure, permanent, message_only, "" },
    { RemotePermissionDenied, "remote permission denied", failure, permanent, message_only, "" },
    { RemoteFileExists, "remote file exists", failure, permanent, message_only, "" },
    { RemoteNameInvalid, "remote file name refused", failure, permanent, message_only, "" },
    { RemoteRequestRefused, "remote request refused", failure, permanent, message_only, "" },
    { AuditChainBroken, "audit chain broken", rejected, permanent, message_only, "" },
    { AuditCheckpointInvalid, "audit checkpoint invalid", rejected, permanent, message_only, "" },
    { Internal, "internal error", failure, permanent, message_only, "" },
} };

constexpr bool rows_in_enum_order()
{
    for (std::size_t i = 0; i < kinds.size(); ++i)
        if (static_cast<std::size_t>(kinds[i].code) != i)
            return false;
    return true;
}
static_assert(rows_in_enum_order(), "error.cpp: every ErrorCode needs its row, in the enum's order");

} // namespace

std::span<ErrorKind const> error_kinds()
{
    return kinds;
}

ErrorKind const& kind_of(ErrorCode code)
{
    assert(static_cast<std::size_t>(code) < kinds.size());
    return kinds[static_cast<std::size_t>(code)];
}

std::string_view to_string(ErrorCode code)
{
    return kind_of(code).name;
}

int exit_code_for(ErrorCode code)
{
    return static_cast<int>(kind_of(code).exit_code);
}

bool is_transient(ErrorCode code)
{
    return kind_of(code).retry == Retry::Transient;
}

Error& Error::add_context(std::string_view where)
{
    if (m_context.empty())
        m_context = std::string(where);
    else
        m_context = std::string(where) + ": " + m_context;
    return *this;
}

Error Error::with_context(std::string_view where) &&
{
    add_context(where);
    return std::move(*this);
}

Error Error::with_hint(std::string_view hint) &&
{
    m_hint = std::string(hint);
    return std::move(*this);
}

std::string_view Error::hint() const
{
    if (!m_hint.empty())
        return m_hint;
    return kind_of(m_code).hint;
}

std::string Error::to_text() const
{
    if (m_context.empty())
        return m_message;
    return m_context + ": " + m_message;
}

} // namespace dcagw::base
