// transport/session: one connection to one agency's server (SFTP, HTTPS or a local folder
// standing in for one), and the few operations the exchange needs from it.
//
// Owns: libcurl (the only module that includes it), connection reuse within a session,
// host key pinning, TLS verification, authentication from files, publication of complete
// files under their final name only, and turning every failure into an error code that
// says whether a retry can help (base::is_transient).
// Must never: listen on a socket; overwrite, replace or delete a remote file of the same
// name as one it publishes; send a credential to a host other than the configured one;
// log or return credentials or file contents; decide about retries or the ledger (that is
// the exchange's job).
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/transport_profile.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::transport {

// The agency's folders, as named in the TransportProfile.
enum class RemoteArea : std::uint8_t { Upload, Collect, Archive };

struct RemoteFile {
    std::string name;          // as the server reported it: callers validate before use
    std::uint64_t size { 0 };
};

// Called by publish after the upload and its size check and before the rename, so the
// caller can durably record that the transfer reached the rename step (docs/delivery.md,
// "Exactly once"). When it fails, publish abandons the upload without renaming and
// returns its error. Empty: nothing to call.
using BeforeRename = std::function<base::Result<void>()>;

class Session {
public:
    virtual ~Session() = default;

    // "sftp://user@127.0.0.1:2222", "https://127.0.0.1:8443/dca/", "dir:/srv/agency":
    // where this session goes, never with a credential.
    virtual std::string describe() const = 0;

    // Regular files in an area (no folders, no links), in the server's order.
    virtual base::Result<std::vector<RemoteFile>> list(RemoteArea area) = 0;
    // The file's size, or nothing when there is no such file.
    virtual base::Result<std::optional<RemoteFile>> stat(RemoteArea area, std::string_view name) = 0;

    // Publishes a complete local file in the upload area: writes it under temporary_name
    // (replacing a leftover temporary file of that name from an interrupted attempt),
    // checks the size the server reports, then renames it to final_name without ever
    // replacing an existing final_name (RemoteFileExists). Returns what the server holds.
    // before_rename, when given, runs between the size check and the rename.
    // With MultipartPost there is no rename: the server publishes the POSTed body itself,
    // and before_rename is never called (there is no step between "uploaded" and
    // "published" that the gateway could record).
    virtual base::Result<RemoteFile> publish(std::filesystem::path const& local_file, std::string_view final_name,
        std::string_view temporary_name, BeforeRename const& before_rename = {}) = 0;

    // Streams a remote file into sink, refusing more than max_bytes.
    virtual base::Result<std::uint64_t> download(RemoteArea area, std::string_view name, base::ByteSink& sink,
        std::uint64_t max_bytes) = 0;

    // Deletes a file (a leftover temporary upload, or a collected file when the profile
    // says Delete).
    virtual base::Result<void> remove(RemoteArea area, std::string_view name) = 0;
    // Moves a collected file from the collect area into the archive area, never replacing.
    virtual base::Result<void> archive(std::string_view name) = 0;
};

// Opens a session for the agency's profile: connects, verifies the server (host key or
// certificate chain and optional pin) and authenticates, or fails closed with an error
// naming what was seen and what was expected.
base::Result<std::unique_ptr<Session>> connect(model::TransportProfile const& profile);

// Whether a remote name may become a local file name: no path separators, no "." or
// "..", no leading dot, no control characters or backslashes, valid UTF-8, at most 200
// bytes. Collection checks every name with it before writing anything.
base::Result<void> check_remote_name(std::string_view name);

} // namespace dcagw::transport
