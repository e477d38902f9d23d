// transport/sftp_session: SFTP over libcurl (libssh2), one reused connection per session.
#include "gateway/transport/sftp_session.hpp"

#include "gateway/transport/credentials.hpp"
#include "gateway/transport/curl_easy.hpp"
#include "gateway/transport/host_key.hpp"
#include "gateway/transport/remote_path.hpp"
#include "gateway/transport/sftp_host_key.hpp"
#include "gateway/transport/sftp_listing.hpp"


namespace dcagw::transport {

namespace {

class SftpSession final : public Session {
public:
    SftpSession(model::TransportProfile profile, std::unique_ptr<CurlEasy> easy)
        : m_profile(std::move(profile))
        , m_easy(std::move(easy))
    {
        auto const& sftp = m_profile.sftp;
        auto host = sftp.host.find(':') == std::string::npos ? sftp.host : "[" + sftp.host + "]";
        m_server = "sftp://" + sftp.user + "@" + host + ":" + std::to_string(sftp.port);
        m_base_url = "sftp://" + host + ":" + std::to_string(sftp.port) + "/~/";
    }

    base::Result<void> load_credentials()
    {
        auto const& sftp = m_profile.sftp;
        for (auto const& configured : sftp.host_key_sha256) {
            auto pin = parse_host_key_pin(configured);
            if (!pin)
                return base::make_error(base::ErrorCode::ConfigInvalid,
                    m_server + ": host_key_sha256 '" + sanitised_excerpt(configured, 80)
                        + "' is not a SHA-256 fingerprint (\"SHA256:\" and 43 base64 characters, as ssh-keygen -lf prints, optionally after the key type)");
            m_host_key.pins.push_back(std::move(*pin));
        }
        if (sftp.known_hosts) {
            // libcurl treats an unreadable file like an empty one (every key unknown); say so
            // plainly instead.
            std::error_code error;
            if (!std::filesystem::is_regular_file(*sftp.known_hosts, error))
                return base::make_error(base::ErrorCode::FileNotFound,
                    m_server + ": known_hosts file " + sftp.known_hosts->string() + " does not exist");
            m_host_key.known_hosts = sftp.known_hosts->string();
        }
        if (m_host_key.pins.empty() && !sftp.known_hosts)
            return base::make_error(base::ErrorCode::ConfigInvalid,
                m_server + ": the host key must be pinned (host_key_sha256) or named in a known_hosts file");
        // A password-only login (allow_password, no private_key) is allowed by the
        // configuration; then no key is offered at all (libcurl would otherwise try
        // ~/.ssh/id_rsa of whoever runs the gateway).
        if (!sftp.private_key.empty())
            TRY_CONTEXT(base::check_owner_only(sftp.private_key), m_server + ": private key");
        if (sftp.private_key_passphrase_file)
            m_passphrase = TRY_CONTEXT(read_credential_line(*sftp.private_key_passphrase_file), m_server + ": key passphrase");
        if (sftp.password_file && !sftp.allow_password)
            return base::make_error(base::ErrorCode::ConfigInvalid,
                m_server + ": a password file is configured but password authentication is not allowed");
        if (sftp.allow_password && sftp.password_file)
            m_password = TRY_CONTEXT(read_credential_line(*sftp.password_file), m_server + ": password");
        return {};
    }

    // Connects and authenticates by looking at the upload folder.
    base::Result<void> open()
    {
        TRY(list(RemoteArea::Upload));
        return {};
    }

    std::string describe() const override { return m_server; }

    base::Result<std::vector<RemoteFile>> list(RemoteArea area) override
    {
        std::string listing;
        auto target = BodyTarget::into_text(listing, 64u << 20);
        prepare(directory_url(area));
        m_easy->receive_into(target);
        TRY(run(target, "listing " + folder(area)));
        return parse_sftp_long_listing(listing);
    }

    base::Result<std::optional<RemoteFile>> stat(RemoteArea area, std::string_view name) override
    {
        TRY(check_operation_name(name, m_server));
        prepare(file_url(area, name));
        curl_easy_setopt(m_easy->handle(), CURLOPT_NOBODY, 1L);
        BodyTarget target;
        auto code = m_easy->perform();
        if (code == CURLE_REMOTE_FILE_NOT_FOUND)
            return std::optional<RemoteFile>();
        if (code != CURLE_OK)
            return failure(code, target, "looking at " + path_of(area, name));
        auto length = m_easy->content_length();
        if (length < 0)
            return base::make_error(base::ErrorCode::TransportFailure, m_server + ": no size reported for " + path_of(area, name));
        return std::optional<RemoteFile>(RemoteFile { std::string(name), static_cast<std::uint64_t>(length) });
    }

    base::Result<RemoteFile> publish(std::filesystem::path const& local_file, std::string_view final_name,
        std::string_view temporary_name, BeforeRename const& before_rename = {}) override
    {
        TRY(check_operation_name(final_name, m_server));
        TRY(check_operation_name(temporary_name, m_server));
        auto const final_path = path_of(RemoteArea::Upload, final_name);
        if (TRY(stat(RemoteArea::Upload, final_name)))
            return exists_error(final_path);

        auto local = TRY(open_local_upload(local_file));
        auto const size = local.size;

        // Opening for write truncates a leftover temporary file of an interrupted attempt.
        prepare(file_url(RemoteArea::Upload, temporary_name));
        auto* handle = m_easy->handle();
        curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(handle, CURLOPT_READDATA, local.file.get()); // curl's default reader is fread
        curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
        BodyTarget target;
        TRY(run(target, "uploading " + path_of(RemoteArea::Upload, temporary_name)));

        auto uploaded = TRY(stat(RemoteArea::Upload, temporary_name));
        if (!uploaded || uploaded->size != size)
            return base::make_error(base::ErrorCode::TransferIncomplete,
                m_server + ": " + path_of(RemoteArea::Upload, temporary_name) + " holds "
                    + (uploaded ? std::to_string(uploaded->size) : std::string("nothing")) + " bytes after uploading "
                    + std::to_string(size));
        TRY(run_before_rename(before_rename, temporary_name));

        // Looked at again right before the rename: a server whose rename replaces an
        // existing target (rclone) is guarded by this check alone, so the window between
        // check and rename is one round trip, not the whole upload.
        if (TRY(stat(RemoteArea::Upload, final_name))) {
            (void)remove(RemoteArea::Upload, temporary_name); // our own temporary copy
            return exists_error(final_path);
        }
        auto renamed = rename(RemoteArea::Upload, temporary_name, RemoteArea::Upload, final_name);
        if (renamed.is_error()) {
            auto error = renamed.release_error();
            if (error.code() == base::ErrorCode::RemoteFileExists)
                (void)remove(RemoteArea::Upload, temporary_name); // our own temporary copy
            return error;
        }
        return RemoteFile { std::string(final_name), size };
    }

    base::Result<std::uint64_t> download(RemoteArea area, std::string_view name, base::ByteSink& sink,
        std::uint64_t max_bytes) override
    {
        TRY(check_operation_name(name, m_server));
        prepare(file_url(area, name));
        curl_easy_setopt(m_easy->handle(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
        auto target = BodyTarget::into_sink(sink, max_bytes);
        m_easy->receive_into(target);
        TRY(run(target, "downloading " + path_of(area, name)));
        return target.received;
    }

    base::Result<void> remove(RemoteArea area, std::string_view name) override
    {
        TRY(check_operation_name(name, m_server));
        return command("rm " + quote_sftp_path(path_of(area, name)), "deleting " + path_of(area, name));
    }

    base::Result<void> archive(std::string_view name) override
    {
        TRY(check_operation_name(name, m_server));
        auto const target = path_of(RemoteArea::Archive, name);
        if (TRY(stat(RemoteArea::Archive, name)))
            return exists_error(target);
        return rename(RemoteArea::Collect, name, RemoteArea::Archive, name);
    }

private:
    // The caller's record that the rename step is reached; when it fails, the upload is
    // abandoned (its temporary copy removed, best effort) and never renamed.
    base::Result<void> run_before_rename(BeforeRename const& before_rename, std::string_view temporary_name)
    {
        if (!before_rename)
            return {};
        auto recorded = before_rename();
        if (recorded.is_error())
            (void)remove(RemoteArea::Upload, temporary_name);
        return recorded;
    }

    std::string const& folder(RemoteArea area) const { return remote_folder(m_profile, area); }
    std::string directory_url(RemoteArea area) const { return m_base_url + percent_encode_path(folder(area)) + "/"; }
    std::string file_url(RemoteArea area, std::string_view name) const
    {
        return directory_url(area) + percent_encode_segment(name);
    }
    // The path as SFTP commands take it (relative: the server resolves it against the
    // login folder, as "/~/" in the URL) and messages show it.
    std::string path_of(RemoteArea area, std::string_view name) const { return folder(area) + "/" + std::string(name); }

    base::Error exists_error(std::string const& path) const
    {
        return base::make_error(base::ErrorCode::RemoteFileExists,
            m_server + ": " + path + " already exists on the server; it is never replaced");
    }

    // Every request starts from a clean handle with the session's connection options.
    void prepare(std::string const& url)
    {
        m_easy->reset();
        auto* handle = m_easy->handle();
        auto const& sftp = m_profile.sftp;
        curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "sftp");
        curl_easy_setopt(handle, CURLOPT_USERNAME, sftp.user.c_str());
        long methods = CURLSSH_AUTH_NONE;
        if (!sftp.private_key.empty()) {
            methods |= CURLSSH_AUTH_PUBLICKEY;
            curl_easy_setopt(handle, CURLOPT_SSH_PRIVATE_KEYFILE, sftp.private_key.c_str());
            // Empty: libssh2 derives the public key from the private one.
            curl_easy_setopt(handle, CURLOPT_SSH_PUBLIC_KEYFILE, "");
        }
        if (m_password) {
            methods |= CURLSSH_AUTH_PASSWORD;
            curl_easy_setopt(handle, CURLOPT_PASSWORD, credential_text(*m_password));
        }
        curl_easy_setopt(handle, CURLOPT_SSH_AUTH_TYPES, methods);
        if (m_passphrase)
            curl_easy_setopt(handle, CURLOPT_KEYPASSWD, credential_text(*m_passphrase));
        if (sftp.known_hosts) {
            curl_easy_setopt(handle, CURLOPT_SSH_KNOWNHOSTS, sftp.known_hosts->c_str());
            curl_easy_setopt(handle, CURLOPT_SSH_KEYFUNCTION, check_known_host);
            curl_easy_setopt(handle, CURLOPT_SSH_KEYDATA, &m_host_key);
        } else {
            curl_easy_setopt(handle, CURLOPT_SSH_HOSTKEYFUNCTION, check_pinned_host_key);
            curl_easy_setopt(handle, CURLOPT_SSH_HOSTKEYDATA, &m_host_key);
        }
        apply_common_options(handle, m_profile);
        // Large writes keep libssh2's SFTP pipeline full: close to OpenSSH's sftp speed.
        curl_easy_setopt(handle, CURLOPT_UPLOAD_BUFFERSIZE, static_cast<long>(m_profile.upload_buffer_bytes));
        curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, static_cast<long>(CURL_MAX_READ_SIZE));
        curl_easy_setopt(handle, CURLOPT_NEW_FILE_PERMS, 0640L);
    }

    base::Result<void> run(BodyTarget& target, std::string const& what)
    {
        auto code = m_easy->perform();
        if (code != CURLE_OK)
            return failure(code, target, what);
        return {};
    }

    base::Error failure(CURLcode code, BodyTarget& target, std::string const& what)
    {
        if (target.failure)
            return std::move(*target.failure).with_context(m_server + ": " + what);
        auto error_code = classify_curl_failure(code, Protocol::Sftp);
        if (error_code == base::ErrorCode::HostKeyMismatch && !m_host_key.refusal.empty())
            return base::make_error(error_code,
                m_server + ": host key " + m_host_key.seen + " " + m_host_key.refusal + " (expected " + m_host_key.expected
                    + "); refusing to connect");
        auto text = m_easy->error_text(code);
        if (code == CURLE_QUOTE_ERROR && text.find("ermission denied") != std::string::npos)
            error_code = base::ErrorCode::RemotePermissionDenied;
        else if (code == CURLE_QUOTE_ERROR && text.find("No such file") != std::string::npos)
            error_code = base::ErrorCode::NotFound;
        return base::make_error(error_code, m_server + ": " + what + ": " + text);
    }

    // Runs one SFTP command (rename, rm) on the open connection, transferring nothing.
    base::Result<void> command(std::string const& text, std::string const& what)
    {
        prepare(m_base_url);
        curl_easy_setopt(m_easy->handle(), CURLOPT_NOBODY, 1L);
        curl_slist* commands = curl_slist_append(nullptr, text.c_str());
        curl_easy_setopt(m_easy->handle(), CURLOPT_QUOTE, commands);
        BodyTarget target;
        auto code = m_easy->perform();
        curl_easy_setopt(m_easy->handle(), CURLOPT_QUOTE, nullptr);
        curl_slist_free_all(commands);
        if (code != CURLE_OK)
            return failure(code, target, what);
        return {};
    }

    // SSH_FXP_RENAME refuses an existing target (OpenSSH links the new name); the target
    // is looked at again to tell that apart from other failures.
    base::Result<void> rename(RemoteArea from_area, std::string_view from_name, RemoteArea to_area, std::string_view to_name)
    {
        auto const from = path_of(from_area, from_name);
        auto const to = path_of(to_area, to_name);
        auto renamed = command("rename " + quote_sftp_path(from) + " " + quote_sftp_path(to),
            "renaming " + from + " to " + to);
        if (renamed.ok() || renamed.error().code() != base::ErrorCode::TransportFailure)
            return renamed;
        auto existing = stat(to_area, to_name);
        if (existing.ok() && existing.value())
            return exists_error(to);
        return renamed;
    }

    model::TransportProfile m_profile;
    std::unique_ptr<CurlEasy> m_easy;
    HostKeyCheck m_host_key;
    std::optional<crypto::SecretBuffer> m_passphrase;
    std::optional<crypto::SecretBuffer> m_password;
    std::string m_server;
    std::string m_base_url;
};

} // namespace

base::Result<std::unique_ptr<Session>> make_sftp_session(model::TransportProfile const& profile)
{
    return open_curl_session<SftpSession>(profile);
}

} // namespace dcagw::transport
