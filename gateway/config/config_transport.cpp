#include "gateway/config/config_transport.hpp"

#include "gateway/base/file.hpp"

#include <algorithm>
#include <array>

namespace dcagw::config::detail {

namespace {

constexpr std::array<std::string_view, 24> transport_keys { "kind", "local_root", "sftp", "https", "upload_directory", "collect_directory",
    "archive_directory", "after_collect", "listing_path", "connect_timeout_seconds", "transfer_timeout_seconds", "upload_buffer_bytes",
    "low_speed_bytes_per_second", "low_speed_seconds",
    "max_attempts", "backoff_initial_milliseconds", "backoff_max_milliseconds", "acknowledgement_required", "acknowledgement_suffix",
    "acknowledgement_due_hours", "returns_require_signature", "max_collect_bytes", "collect_max_bytes_per_run", "description" };
constexpr std::array<std::string_view, 9> sftp_keys { "host", "port", "user", "private_key", "private_key_passphrase_file", "host_key_sha256",
    "known_hosts", "allow_password", "password_file" };
constexpr std::array<std::string_view, 10> https_keys { "base_url", "ca_file", "pinned_public_key", "client_certificate", "client_key",
    "bearer_token_file", "basic_auth_file", "upload_method", "multipart_field", "listing" };
constexpr std::array<std::string_view, 2> listing_names { "propfind", "nginx_json" };
// Key types a host key pin may name: OpenSSH's algorithm names and ssh-keygen -l's labels.
constexpr std::array<std::string_view, 10> host_key_type_names { "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "ssh-dss", "ED25519", "RSA", "ECDSA", "DSA" };
constexpr std::array<std::string_view, 3> kind_names { "directory", "sftp", "https" };
constexpr std::array<std::string_view, 3> after_collect_names { "archive", "delete", "leave" };
constexpr std::array<std::string_view, 2> upload_method_names { "put", "multipart_post" };

class TransportChecker {
public:
    TransportChecker(ProblemSink& sink, std::filesystem::path const& folder) : m_sink(sink), m_folder(folder) {}

    model::TransportProfile check(Json const& value, std::string const& path)
    {
        model::TransportProfile profile;
        ObjectReader reader(value, path, m_sink, transport_keys);
        (void)reader.string("description", Presence::Optional, ObjectReader::Emptiness::Allowed);
        auto const kind = reader.string("kind", Presence::Required);
        if (kind && *kind == "directory")
            profile.kind = model::TransportKind::LocalDirectory;
        else if (kind && *kind == "sftp")
            profile.kind = model::TransportKind::Sftp;
        else if (kind && *kind == "https")
            profile.kind = model::TransportKind::Https;
        else if (kind)
            m_sink.add(reader.path_of("kind"), "must be 'directory', 'sftp' or 'https', not " + in_quotes(*kind) + did_you_mean(*kind, kind_names));

        auto const local_root = reader.string("local_root", Presence::Optional);
        if (local_root)
            profile.local_root = base::resolve_against(m_folder, *local_root);
        if (kind && *kind == "directory" && !local_root)
            m_sink.add(reader.path_of("local_root"), "kind 'directory' needs local_root: the folder standing in for the agency's server");
        if (kind && *kind != "directory" && local_root)
            m_sink.add(reader.path_of("local_root"), "local_root is only for kind 'directory'");
        check_section(reader, "sftp", kind, [&](Json const& section, std::string const& section_path) { check_sftp(section, section_path, profile.sftp); });
        check_section(reader, "https", kind, [&](Json const& section, std::string const& section_path) { check_https(section, section_path, profile.https); });

        folder_name(reader, "upload_directory", profile.upload_directory);
        folder_name(reader, "collect_directory", profile.collect_directory);
        // One folder for both would make collect fetch (and archive or delete) the
        // gateway's own deliveries as if they were the agency's returns.
        if (std::string_view(profile.upload_directory).substr(0, profile.upload_directory.find_last_not_of('/') + 1)
            == std::string_view(profile.collect_directory).substr(0, profile.collect_directory.find_last_not_of('/') + 1))
            m_sink.add(reader.path_of("collect_directory"), "must differ from upload_directory ('" + profile.upload_directory + "'): collect would fetch the gateway's own deliveries");
        folder_name(reader, "archive_directory", profile.archive_directory);
        if (auto text = reader.string("after_collect", Presence::Optional)) {
            if (*text == "archive")
                profile.after_collect = model::AfterCollect::Archive;
            else if (*text == "delete")
                profile.after_collect = model::AfterCollect::Delete;
            else if (*text == "leave")
                profile.after_collect = model::AfterCollect::Leave;
            else
                m_sink.add(reader.path_of("after_collect"), "must be 'archive', 'delete' or 'leave', not " + in_quotes(*text) + did_you_mean(*text, after_collect_names));
        }
        // The listing is fetched with the agency's credentials: it stays below the base URL
        // like the folders (curl would resolve "../" segments to another path on the server).
        folder_name(reader, "listing_path", profile.listing_path);
        if (auto value_seconds = reader.unsigned_integer("connect_timeout_seconds", Presence::Optional, 1))
            profile.connect_timeout = std::chrono::seconds(*value_seconds);
        if (auto value_seconds = reader.unsigned_integer("transfer_timeout_seconds", Presence::Optional, 1))
            profile.transfer_timeout = std::chrono::seconds(*value_seconds);
        if (auto rate = reader.unsigned_integer("low_speed_bytes_per_second", Presence::Optional, 1))
            profile.low_speed_bytes_per_second = *rate;
        if (auto value_seconds = reader.unsigned_integer("low_speed_seconds", Presence::Optional, 1))
            profile.low_speed_time = std::chrono::seconds(*value_seconds);
        if (auto bytes = reader.unsigned_integer("upload_buffer_bytes", Presence::Optional, 16384)) {
            if (*bytes > (64u << 20))
                m_sink.add(reader.path_of("upload_buffer_bytes"), "must be at most 67108864 (64 MiB)");
            profile.upload_buffer_bytes = static_cast<std::size_t>(*bytes);
        }
        if (auto attempts = reader.unsigned_integer("max_attempts", Presence::Optional, 1)) {
            if (*attempts > 100)
                m_sink.add(reader.path_of("max_attempts"), "must be at most 100");
            profile.max_attempts = static_cast<int>(std::min<std::uint64_t>(*attempts, 100));
        }
        if (auto milliseconds = reader.unsigned_integer("backoff_initial_milliseconds", Presence::Optional))
            profile.backoff_initial = std::chrono::milliseconds(*milliseconds);
        if (auto milliseconds = reader.unsigned_integer("backoff_max_milliseconds", Presence::Optional))
            profile.backoff_max = std::chrono::milliseconds(*milliseconds);
        if (profile.backoff_max < profile.backoff_initial)
            m_sink.add(reader.path_of("backoff_max_milliseconds"), "must not be less than backoff_initial_milliseconds");
        if (auto required = reader.boolean("acknowledgement_required", Presence::Optional))
            profile.acknowledgement_required = *required;
        if (auto suffix = reader.string("acknowledgement_suffix", Presence::Optional)) {
            if (suffix->find('/') != std::string::npos)
                m_sink.add(reader.path_of("acknowledgement_suffix"), "must not contain '/'");
            profile.acknowledgement_suffix = *suffix;
        }
        if (auto hours = reader.unsigned_integer("acknowledgement_due_hours", Presence::Optional, 1))
            profile.acknowledgement_due = std::chrono::hours(*hours);
        if (auto require_signature = reader.boolean("returns_require_signature", Presence::Optional))
            profile.returns_require_signature = *require_signature;
        if (auto bytes = reader.unsigned_integer("max_collect_bytes", Presence::Optional, 1))
            profile.max_collect_bytes = *bytes;
        if (auto bytes = reader.unsigned_integer("collect_max_bytes_per_run", Presence::Optional, 1))
            profile.collect_max_bytes_per_run = *bytes;
        return profile;
    }

private:
    template<typename Check>
    void check_section(ObjectReader& reader, std::string_view name, std::optional<std::string> const& kind, Check&& check_body)
    {
        bool const wanted = kind && *kind == name;
        auto const* section = reader.object(name, wanted ? Presence::Required : Presence::Optional);
        if (section != nullptr && !wanted && kind) {
            m_sink.add(reader.path_of(name), std::string(name) + " settings given but kind is " + in_quotes(*kind) + ": they would not be used");
            return;
        }
        if (section != nullptr)
            check_body(*section, reader.path_of(name));
    }

    void folder_name(ObjectReader& reader, std::string_view key, std::string& target)
    {
        auto text = reader.string(key, Presence::Optional);
        if (!text)
            return;
        std::filesystem::path const folder(*text);
        bool climbs = folder.is_absolute();
        for (auto const& part : folder)
            if (part == "..")
                climbs = true;
        if (climbs)
            m_sink.add(reader.path_of(key), in_quotes(*text) + " must be a folder relative to the server's root, without '..'");
        target = *text;
    }

    std::optional<std::filesystem::path> secret(ObjectReader& reader, std::string_view key)
    {
        auto text = reader.string(key, Presence::Optional);
        if (!text)
            return std::nullopt;
        auto path = base::resolve_against(m_folder, *text);
        check_secret_file(path, reader.path_of(key), m_sink);
        return path;
    }

    std::optional<std::filesystem::path> public_file(ObjectReader& reader, std::string_view key)
    {
        auto text = reader.string(key, Presence::Optional);
        if (!text)
            return std::nullopt;
        auto path = base::resolve_against(m_folder, *text);
        std::error_code error;
        if (!std::filesystem::is_regular_file(path, error))
            m_sink.add(reader.path_of(key), "file not found: " + path.string());
        return path;
    }

    void check_sftp(Json const& value, std::string const& path, model::SftpSettings& sftp)
    {
        ObjectReader reader(value, path, m_sink, sftp_keys);
        if (auto host = reader.string("host", Presence::Required))
            sftp.host = *host;
        if (auto port = reader.unsigned_integer("port", Presence::Optional, 1)) {
            if (*port > 65535)
                m_sink.add(reader.path_of("port"), "must be at most 65535");
            sftp.port = static_cast<std::uint16_t>(*port);
        }
        if (auto user = reader.string("user", Presence::Required))
            sftp.user = *user;
        bool const has_key = reader.has("private_key");
        if (auto key = secret(reader, "private_key"))
            sftp.private_key = *key;
        sftp.private_key_passphrase_file = secret(reader, "private_key_passphrase_file");
        host_key_pins(reader, sftp.host_key_sha256);
        sftp.known_hosts = public_file(reader, "known_hosts");
        if (sftp.host_key_sha256.empty() && !sftp.known_hosts)
            m_sink.add(reader.path_of("host_key_sha256"), "the server's host key must be pinned: give host_key_sha256 or known_hosts");
        if (auto allow = reader.boolean("allow_password", Presence::Optional))
            sftp.allow_password = *allow;
        sftp.password_file = secret(reader, "password_file");
        if (sftp.allow_password && !sftp.password_file)
            m_sink.add(reader.path_of("password_file"), "allow_password needs password_file (a 0600 file holding the password)");
        if (!sftp.allow_password && sftp.password_file)
            m_sink.add(reader.path_of("password_file"), "password_file given but allow_password is not true: password authentication stays off");
        if (!has_key && !sftp.allow_password)
            m_sink.add(reader.path_of("private_key"), "needs private_key (or allow_password with password_file)");
    }

    // host_key_sha256: one pin or a list of them (one per key type the server offers),
    // each "SHA256:<43 base64 characters>", optionally after its key type.
    void host_key_pins(ObjectReader& reader, std::vector<std::string>& pins)
    {
        auto const* value = reader.value("host_key_sha256", Presence::Optional);
        if (value == nullptr)
            return;
        std::optional<std::vector<std::string>> given;
        if (value->is_array())
            given = reader.string_array("host_key_sha256", Presence::Optional, 16);
        else if (auto single = reader.string("host_key_sha256", Presence::Optional))
            given = std::vector<std::string> { *single };
        if (!given)
            return;
        for (auto const& pin : *given) {
            auto const space = pin.rfind(' ');
            std::string_view const fingerprint = space == std::string::npos ? std::string_view(pin) : std::string_view(pin).substr(space + 1);
            std::string_view const type = space == std::string::npos ? std::string_view() : std::string_view(pin).substr(0, space);
            if (!fingerprint.starts_with("SHA256:") || fingerprint.size() != 50)
                m_sink.add(reader.path_of("host_key_sha256"), in_quotes(pin) + " is not a host key fingerprint as `ssh-keygen -lf` prints it (SHA256: and 43 base64 characters, optionally after the key type)");
            else if (space != std::string::npos && std::find(host_key_type_names.begin(), host_key_type_names.end(), type) == host_key_type_names.end())
                m_sink.add(reader.path_of("host_key_sha256"), in_quotes(pin) + ": unknown key type " + in_quotes(std::string(type)) + did_you_mean(type, host_key_type_names));
            pins.push_back(pin);
        }
    }

    void check_https(Json const& value, std::string const& path, model::HttpsSettings& https)
    {
        ObjectReader reader(value, path, m_sink, https_keys);
        if (auto url = reader.string("base_url", Presence::Required)) {
            if (!url->starts_with("https://"))
                m_sink.add(reader.path_of("base_url"), in_quotes(*url) + " must start with https://");
            https.base_url = *url;
        }
        https.ca_file = public_file(reader, "ca_file");
        if (auto pin = reader.string("pinned_public_key", Presence::Optional)) {
            if (!pin->starts_with("sha256//"))
                m_sink.add(reader.path_of("pinned_public_key"), "must be 'sha256//' followed by the base64 SHA-256 of the server's public key");
            https.pinned_public_key = *pin;
        }
        https.client_certificate = public_file(reader, "client_certificate");
        https.client_key = secret(reader, "client_key");
        if (https.client_certificate.has_value() != https.client_key.has_value())
            m_sink.add(reader.path_of(https.client_certificate ? "client_key" : "client_certificate"), "client_certificate and client_key go together");
        https.bearer_token_file = secret(reader, "bearer_token_file");
        https.basic_auth_file = secret(reader, "basic_auth_file");
        if (https.bearer_token_file && https.basic_auth_file)
            m_sink.add(reader.path_of("basic_auth_file"), "give bearer_token_file or basic_auth_file, not both");
        if (auto method = reader.string("upload_method", Presence::Optional)) {
            if (*method == "put")
                https.upload_method = model::UploadMethod::Put;
            else if (*method == "multipart_post")
                https.upload_method = model::UploadMethod::MultipartPost;
            else
                m_sink.add(reader.path_of("upload_method"), "must be 'put' or 'multipart_post', not " + in_quotes(*method) + did_you_mean(*method, upload_method_names));
        }
        if (auto field = reader.string("multipart_field", Presence::Optional))
            https.multipart_field = *field;
        if (auto listing = reader.string("listing", Presence::Optional)) {
            if (*listing == "propfind")
                https.listing = model::ListingFormat::Propfind;
            else if (*listing == "nginx_json")
                https.listing = model::ListingFormat::NginxJson;
            else
                m_sink.add(reader.path_of("listing"), "must be 'propfind' or 'nginx_json', not " + in_quotes(*listing) + did_you_mean(*listing, listing_names));
        }
    }

    ProblemSink& m_sink;
    std::filesystem::path const& m_folder;
};

} // namespace

void check_secret_file(std::filesystem::path const& path, std::string const& json_path, ProblemSink& sink)
{
    auto checked = base::check_owner_only(path);
    if (checked.is_error()) {
        sink.add(json_path, checked.error().to_text());
        return;
    }
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        sink.add(json_path, path.string() + ": not a regular file");
    else if (std::filesystem::file_size(path, error) == 0 && !error)
        sink.add(json_path, path.string() + ": the file is empty (no key can be read from it)");
}

model::TransportProfile check_transport(Json const& value, std::string const& path, ProblemSink& sink, std::filesystem::path const& folder)
{
    return TransportChecker(sink, folder).check(value, path);
}

} // namespace dcagw::config::detail
