#include "gateway/base/error.hpp"

namespace dcagw::base {

std::string_view to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Usage: return "usage";
    case ErrorCode::ConfigInvalid: return "invalid configuration";
    case ErrorCode::MappingInvalid: return "invalid mapping";
    case ErrorCode::InputTooLarge: return "input exceeds a limit";
    case ErrorCode::InputMalformed: return "malformed input";
    case ErrorCode::RecordInvalid: return "invalid record";
    case ErrorCode::FileNotFound: return "file not found";
    case ErrorCode::FileUnreadable: return "cannot read file";
    case ErrorCode::FileWriteFailed: return "cannot write file";
    case ErrorCode::PermissionsTooOpen: return "permissions too open";
    case ErrorCode::AlreadyExists: return "already exists";
    case ErrorCode::KeyInvalid: return "invalid key";
    case ErrorCode::CryptoFailure: return "cryptographic failure";
    case ErrorCode::HeaderInvalid: return "header failure";
    case ErrorCode::NoMatchingIdentity: return "no match";
    case ErrorCode::HeaderMacMismatch: return "HMAC failure";
    case ErrorCode::PayloadCorrupt: return "payload failure";
    case ErrorCode::ArmorInvalid: return "armor failure";
    case ErrorCode::UnsupportedRecipient: return "unsupported recipient type";
    case ErrorCode::SignatureInvalid: return "signature invalid";
    case ErrorCode::StoreFailure: return "state store failure";
    case ErrorCode::StoreCorrupt: return "state store corrupt";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::TransportFailure: return "transport failure";
    case ErrorCode::TransferIncomplete: return "transfer incomplete";
    case ErrorCode::HostKeyMismatch: return "host key mismatch";
    case ErrorCode::TlsVerificationFailed: return "TLS verification failed";
    case ErrorCode::AuthenticationFailed: return "authentication failed";
    case ErrorCode::RemotePermissionDenied: return "remote permission denied";
    case ErrorCode::RemoteFileExists: return "remote file exists";
    case ErrorCode::RemoteNameInvalid: return "remote file name refused";
    case ErrorCode::RemoteRequestRefused: return "remote request refused";
    case ErrorCode::AuditChainBroken: return "audit chain broken";
    case ErrorCode::AuditCheckpointInvalid: return "audit checkpoint invalid";
    case ErrorCode::Internal: return "internal error";
    }
    return "unknown error";
}

int exit_code_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Usage:
    case ErrorCode::ConfigInvalid:
    case ErrorCode::MappingInvalid:
    case ErrorCode::PermissionsTooOpen:
    case ErrorCode::KeyInvalid:
    case ErrorCode::AlreadyExists: // the operator asked to replace a file we never replace
        return 2;
    case ErrorCode::InputTooLarge:
    case ErrorCode::InputMalformed:
    case ErrorCode::RecordInvalid:
    case ErrorCode::HeaderInvalid:
    case ErrorCode::NoMatchingIdentity:
    case ErrorCode::HeaderMacMismatch:
    case ErrorCode::PayloadCorrupt:
    case ErrorCode::ArmorInvalid:
    case ErrorCode::UnsupportedRecipient:
    case ErrorCode::SignatureInvalid:
    case ErrorCode::AuditChainBroken:
    case ErrorCode::AuditCheckpointInvalid:
        return 1;
    default:
        return 3;
    }
}

bool is_transient(ErrorCode code)
{
    return code == ErrorCode::TransportFailure || code == ErrorCode::TransferIncomplete;
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

std::string Error::to_text() const
{
    if (m_context.empty())
        return m_message;
    return m_context + ": " + m_message;
}

} // namespace dcagw::base
