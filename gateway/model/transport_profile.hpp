// model/transport_profile: how the gateway reaches one agency's server, as configured.
//
// Owns: TransportProfile (which transport, where, how to authenticate, which remote
// folders, timeouts, retry policy, acknowledgement and collection rules), with every path
// already resolved against the configuration file's folder.
// Must never: hold a secret (passwords, tokens and key passphrases are only ever named by
// the path of a 0600 file), or read any file.
#pragma once

#include "gateway/base/enum_names.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::model {

enum class TransportKind : std::uint8_t {
    // A folder on this machine standing in for the agency's server: the bundled demo
    // agency and tests. Same publication rules (temporary name, then rename, never
    // replace) as the network transports.
    LocalDirectory,
    Sftp,
    Https,
};

// "directory", "sftp", "https": the configuration's spelling, also used in audit receipts.
inline constexpr base::EnumNames<TransportKind, 3> transport_kind_names { { {
    { TransportKind::LocalDirectory, "directory" },
    { TransportKind::Sftp, "sftp" },
    { TransportKind::Https, "https" },
} } };
constexpr std::string_view to_string(TransportKind kind)
{
    return transport_kind_names.name(kind);
}

struct SftpSettings {
    std::string host;            // only 127.0.0.1 in this project's tests
    std::uint16_t port { 22 };
    std::string user;
    std::filesystem::path private_key;                     // 0600, OpenSSH or PEM format
    std::optional<std::filesystem::path> private_key_passphrase_file;
    // The server's host key, pinned. At least one of the two is required; an unknown or
    // changed key fails closed. One pin per host key type the server may offer (libssh2
    // picks the type, not the gateway): "SHA256:<base64>" as ssh-keygen -lf prints it,
    // optionally after the key type ("ssh-rsa SHA256:...", "ED25519 SHA256:...").
    std::vector<std::string> host_key_sha256;
    std::optional<std::filesystem::path> known_hosts;      // OpenSSH known_hosts file
    // Password authentication only when the configuration explicitly asks for it.
    bool allow_password { false };
    std::optional<std::filesystem::path> password_file;
};

// How the HTTPS collection folder is listed.
enum class ListingFormat : std::uint8_t {
    Propfind,   // WebDAV PROPFIND, Depth: 1 (RFC 4918 multistatus XML): any WebDAV server
    NginxJson,  // GET of nginx's `autoindex_format json` page
};

enum class UploadMethod : std::uint8_t {
    Put,            // WebDAV style: PUT to a temporary name, then MOVE (Overwrite: F)
    MultipartPost,  // one POST of a multipart/form-data body; the server publishes it
};

struct HttpsSettings {
    // Base URL of the agency's endpoint, "https://host:port/path/" (https only).
    std::string base_url;
    std::optional<std::filesystem::path> ca_file;          // otherwise the system CA store
    std::optional<std::string> pinned_public_key;          // "sha256//<base64>", curl's format
    std::optional<std::filesystem::path> client_certificate;  // mutual TLS (PEM)
    std::optional<std::filesystem::path> client_key;          // 0600 (PEM)
    std::optional<std::filesystem::path> bearer_token_file;   // 0600, one line
    std::optional<std::filesystem::path> basic_auth_file;     // 0600, "user:password"
    UploadMethod upload_method { UploadMethod::Put };
    // Field name of the file part for MultipartPost.
    std::string multipart_field { "file" };
    ListingFormat listing { ListingFormat::Propfind };
};

// What happens to a file on the agency's side once it is safely in the local inbox.
enum class AfterCollect : std::uint8_t { Archive, Delete, Leave };

struct TransportProfile {
    TransportKind kind { TransportKind::LocalDirectory };
    std::filesystem::path local_root;   // LocalDirectory: the folder standing in for the server
    SftpSettings sftp;
    HttpsSettings https;

    // Remote folders, relative to the SFTP login directory, the HTTPS base URL or the
    // local root. Files go to upload_directory; agency returns are collected from
    // collect_directory and, after collection, moved to archive_directory (Archive),
    // deleted (Delete) or left where they are (Leave; the ledger remembers them).
    std::string upload_directory { "incoming" };
    std::string collect_directory { "outgoing" };
    std::string archive_directory { "outgoing/archive" };
    AfterCollect after_collect { AfterCollect::Archive };
    // HTTPS collection lists this path under the base URL instead of collect_directory
    // (with the nginx_json listing: a JSON page of {"name","type","size"}); empty: the
    // collect_directory itself.
    std::string listing_path;

    std::chrono::seconds connect_timeout { 30 };
    std::chrono::seconds transfer_timeout { 3600 };
    // A transfer moving fewer than low_speed_bytes_per_second for low_speed_seconds in a
    // row is abandoned (transiently): one stalled server cannot hold a run for the whole
    // transfer_timeout.
    std::uint64_t low_speed_bytes_per_second { 1024 };
    std::chrono::seconds low_speed_time { 60 };
    // Bytes handed to the transport per write; 2 MiB keeps libssh2's SFTP pipeline full.
    std::size_t upload_buffer_bytes { 2u << 20 };

    // Retries of transient failures: attempt n waits about backoff_initial * 2^(n-1),
    // capped at backoff_max, with random jitter; at most max_attempts attempts per run.
    int max_attempts { 5 };
    std::chrono::milliseconds backoff_initial { 1000 };
    std::chrono::milliseconds backoff_max { 60000 };

    // Acknowledgements: when required, the agency answers each delivered file with a file
    // named <delivered name><acknowledgement_suffix> in collect_directory; a delivery with
    // none after acknowledgement_due is reported overdue.
    bool acknowledgement_required { false };
    std::string acknowledgement_suffix { ".ack" };
    std::chrono::hours acknowledgement_due { 24 };

    // Collected files must carry a valid OpenPGP signature by the agency's key.
    bool returns_require_signature { false };
    std::uint64_t max_collect_bytes { 1ull << 30 };  // larger remote files are refused
    // Bytes one collect run takes from this agency (files newly collected); the files
    // after the cap wait for the next run, and a file larger than the cap is refused.
    std::uint64_t collect_max_bytes_per_run { 10ull << 30 };
};

} // namespace dcagw::model
