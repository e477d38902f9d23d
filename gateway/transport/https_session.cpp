// transport/https_session: HTTPS (WebDAV PUT/MOVE/DELETE/PROPFIND, or nginx's JSON
// listing) over libcurl.
#include "gateway/transport/https_session.hpp"

#include "gateway/listing/remote_listing.hpp"
#include "gateway/listing/webdav_listing.hpp"
#include "gateway/transport/credentials.hpp"
#include "gateway/transport/curl_easy.hpp"
#include "gateway/transport/remote_path.hpp"


namespace dcagw::transport {

namespace {

struct HeaderList {
    curl_slist* list { nullptr };
    ~HeaderList() { curl_slist_free_all(list); }
    void add(std::string const& header) { list = curl_slist_append(list, header.c_str()); }
};

class HttpsSession final : public Session {
public:
    HttpsSession(model::TransportProfile profile, std::unique_ptr<CurlEasy> easy)
        : m_profile(std::move(profile))
        , m_easy(std::move(easy))
    {
        m_base_url = m_profile.https.base_url;
        if (m_base_url.empty() || m_base_url.back() != '/')
            m_base_url.push_back('/');
    }

    base::Result<void> load_credentials()
    {
        auto const& https = m_profile.https;
        constexpr std::string_view scheme = "https://";
        auto authority_end = m_base_url.find('/', scheme.size());
        if (!m_base_url.starts_with(scheme) || authority_end == std::string::npos
            || m_base_url.substr(0, authority_end).find('@') != std::string::npos)
            return base::make_error(base::ErrorCode::ConfigInvalid,
                "'" + sanitised_excerpt(m_base_url, 200) + "': the base URL must be https://host[:port]/path/ without credentials");
        m_base_path = m_base_url.substr(authority_end);
        m_authority = m_base_url.substr(scheme.size(), authority_end - scheme.size());
        if (https.client_certificate.has_value() != https.client_key.has_value())
            return base::make_error(base::ErrorCode::ConfigInvalid, m_base_url + ": a client certificate needs its key and the other way round");
        if (https.client_key)
            TRY_CONTEXT(base::check_owner_only(*https.client_key), m_base_url + ": client key");
        if (https.bearer_token_file && https.basic_auth_file)
            return base::make_error(base::ErrorCode::ConfigInvalid, m_base_url + ": configure a bearer token or basic authentication, not both");
        if (https.bearer_token_file)
            m_bearer = TRY_CONTEXT(read_credential_line(*https.bearer_token_file), m_base_url + ": bearer token");
        if (https.basic_auth_file)
            m_basic = TRY_CONTEXT(read_credential_line(*https.basic_auth_file), m_base_url + ": basic authentication");
        return {};
    }

    // Connects, verifies the certificate and authenticates by asking for the upload folder
    // (PROPFIND Depth: 0, or GET for an nginx JSON listing; not HEAD: the refusal page says
    // why, e.g. nginx's "No required SSL certificate was sent"). A server that lists no
    // folders (404, 405) has still been reached.
    base::Result<void> open()
    {
        prepare(directory_url(RemoteArea::Upload));
        if (m_profile.https.listing == model::ListingFormat::Propfind)
            ask_propfind(Depth::Self);
        auto target = error_target();
        m_easy->receive_into(target);
        auto status = TRY(perform(target, "connecting"));
        if (status >= 300 && status != 404 && status != 405)
            return http_failure(status, target, "opening " + folder(RemoteArea::Upload) + "/");
        return {};
    }

    std::string describe() const override { return m_base_url; }

    base::Result<std::vector<RemoteFile>> list(RemoteArea area) override
    {
        auto path = area == RemoteArea::Collect && !m_profile.listing_path.empty() ? percent_encode_path(m_profile.listing_path)
                                                                                   : folder_path(area);
        bool const propfind = m_profile.https.listing == model::ListingFormat::Propfind;
        if (propfind && !path.ends_with('/'))
            path.push_back('/');
        std::string body;
        auto target = BodyTarget::into_text(body, listing::max_remote_listing_bytes);
        target.http_handle = m_easy->handle();
        prepare(m_base_url + path);
        if (propfind)
            ask_propfind(Depth::Members);
        m_easy->receive_into(target);
        auto const what = "listing " + folder(area);
        auto status = TRY(perform(target, what));
        if (status != (propfind ? 207 : 200))
            return http_failure(status, target, what);
        auto const folder_path_sent = m_base_path + path;
        auto entries = TRY_CONTEXT(propfind ? listing::parse_webdav_multistatus(body, { folder_path_sent, m_authority })
                                            : listing::parse_remote_listing(body),
            m_base_url + ": " + what);
        std::vector<RemoteFile> files;
        for (auto& entry : entries) {
            if (entry.type != "file")
                continue;
            if (!entry.size)
                return base::make_error(base::ErrorCode::InputMalformed,
                    m_base_url + ": " + what + ": no size for '" + sanitised_excerpt(entry.name, 80) + "'");
            files.push_back(RemoteFile { std::move(entry.name), *entry.size });
        }
        return files;
    }

    base::Result<std::optional<RemoteFile>> stat(RemoteArea area, std::string_view name) override
    {
        TRY(check_operation_name(name, m_base_url));
        prepare(file_url(area, name));
        curl_easy_setopt(m_easy->handle(), CURLOPT_NOBODY, 1L);
        auto target = error_target();
        auto const what = "looking at " + path_of(area, name);
        auto status = TRY(perform(target, what));
        if (status == 404)
            return std::optional<RemoteFile>();
        if (status != 200)
            return http_failure(status, target, what);
        auto length = m_easy->content_length();
        if (length < 0)
            return base::make_error(base::ErrorCode::TransportFailure, m_base_url + ": " + what + ": no size reported");
        return std::optional<RemoteFile>(RemoteFile { std::string(name), static_cast<std::uint64_t>(length) });
    }

    base::Result<RemoteFile> publish(std::filesystem::path const& local_file, std::string_view final_name,
        std::string_view temporary_name, BeforeRename const& before_rename = {}) override
    {
        TRY(check_operation_name(final_name, m_base_url));
        TRY(check_operation_name(temporary_name, m_base_url));
        if (TRY(stat(RemoteArea::Upload, final_name)))
            return exists_error(path_of(RemoteArea::Upload, final_name));
        auto local = TRY(open_local_upload(local_file));
        auto const size = local.size;
        if (m_profile.https.upload_method == model::UploadMethod::MultipartPost)
            return post(local_file, final_name, size);

        // PUT replaces a leftover temporary file of an interrupted attempt.
        prepare(file_url(RemoteArea::Upload, temporary_name));
        auto* handle = m_easy->handle();
        curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(handle, CURLOPT_READDATA, local.file.get()); // curl's default reader is fread
        curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
        auto target = error_target();
        m_easy->receive_into(target);
        auto const what = "uploading " + path_of(RemoteArea::Upload, temporary_name);
        auto put_status = TRY(perform(target, what));
        if (put_status < 200 || put_status > 299) {
            auto failure = http_failure(put_status, target, what);
            if (!base::is_transient(failure.code()))
                (void)remove(RemoteArea::Upload, temporary_name); // whatever the server kept of a refused PUT
            return failure;
        }

        auto published = check_and_move(temporary_name, final_name, size, before_rename);
        if (published.is_error() && !base::is_transient(published.error().code()))
            (void)remove(RemoteArea::Upload, temporary_name); // our own temporary copy: no retry will use it
        return published;
    }

    base::Result<std::uint64_t> download(RemoteArea area, std::string_view name, base::ByteSink& sink,
        std::uint64_t max_bytes) override
    {
        TRY(check_operation_name(name, m_base_url));
        prepare(file_url(area, name));
        auto target = BodyTarget::into_sink(sink, max_bytes);
        target.http_handle = m_easy->handle();
        m_easy->receive_into(target);
        auto const what = "downloading " + path_of(area, name);
        auto status = TRY(perform(target, what));
        if (status != 200)
            return http_failure(status, target, what);
        return target.received;
    }

    base::Result<void> remove(RemoteArea area, std::string_view name) override
    {
        TRY(check_operation_name(name, m_base_url));
        prepare(file_url(area, name));
        curl_easy_setopt(m_easy->handle(), CURLOPT_CUSTOMREQUEST, "DELETE");
        auto target = error_target();
        m_easy->receive_into(target);
        auto const what = "deleting " + path_of(area, name);
        auto status = TRY(perform(target, what));
        if (status < 200 || status > 299)
            return http_failure(status, target, what);
        return {};
    }

    base::Result<void> archive(std::string_view name) override
    {
        TRY(check_operation_name(name, m_base_url));
        if (TRY(stat(RemoteArea::Archive, name)))
            return exists_error(path_of(RemoteArea::Archive, name));
        return move(RemoteArea::Collect, name, RemoteArea::Archive, name);
    }

private:
    // The size check after the PUT, then the MOVE to the final name.
    base::Result<RemoteFile> check_and_move(std::string_view temporary_name, std::string_view final_name, std::uint64_t size,
        BeforeRename const& before_rename)
    {
        auto uploaded = TRY(stat(RemoteArea::Upload, temporary_name));
        if (!uploaded || uploaded->size != size)
            return base::make_error(base::ErrorCode::TransferIncomplete,
                m_base_url + ": " + path_of(RemoteArea::Upload, temporary_name) + " holds "
                    + (uploaded ? std::to_string(uploaded->size) : std::string("nothing")) + " bytes after uploading "
                    + std::to_string(size));
        if (before_rename)
            TRY(before_rename()); // the caller removes our temporary copy on a permanent error
        TRY(move(RemoteArea::Upload, temporary_name, RemoteArea::Upload, final_name));
        return RemoteFile { std::string(final_name), size };
    }

    // PROPFIND for the resource type and length only (RFC 4918 9.1), of the folder itself
    // (Depth: 0) or of its members too (Depth: 1, never "infinity").
    enum class Depth { Self, Members };
    void ask_propfind(Depth depth)
    {
        static constexpr char body[] = R"(<?xml version="1.0" encoding="utf-8"?>)"
                                       R"(<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/></D:prop></D:propfind>)";
        auto* handle = m_easy->handle();
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, "PROPFIND");
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(sizeof body - 1));
        m_headers->add(depth == Depth::Self ? "Depth: 0" : "Depth: 1");
        m_headers->add("Content-Type: application/xml; charset=utf-8");
    }

    std::string const& folder(RemoteArea area) const { return remote_folder(m_profile, area); }
    std::string folder_path(RemoteArea area) const { return percent_encode_path(folder(area)) + "/"; }
    std::string directory_url(RemoteArea area) const { return m_base_url + folder_path(area); }
    std::string file_url(RemoteArea area, std::string_view name) const { return directory_url(area) + percent_encode_segment(name); }
    std::string path_of(RemoteArea area, std::string_view name) const { return folder(area) + "/" + sanitised_excerpt(name, 200); }

    BodyTarget error_target()
    {
        BodyTarget target;
        target.http_handle = m_easy->handle();
        return target;
    }

    base::Error exists_error(std::string const& path) const
    {
        return base::make_error(base::ErrorCode::RemoteFileExists,
            m_base_url + ": " + path + " already exists on the server; it is never replaced");
    }

    void prepare(std::string const& url)
    {
        m_easy->reset();
        auto* handle = m_easy->handle();
        auto const& https = m_profile.https;
        curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https");
        curl_easy_setopt(handle, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
        curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
        if (https.ca_file)
            curl_easy_setopt(handle, CURLOPT_CAINFO, https.ca_file->c_str());
        if (https.pinned_public_key)
            curl_easy_setopt(handle, CURLOPT_PINNEDPUBLICKEY, https.pinned_public_key->c_str());
        if (https.client_certificate) {
            curl_easy_setopt(handle, CURLOPT_SSLCERT, https.client_certificate->c_str());
            curl_easy_setopt(handle, CURLOPT_SSLKEY, https.client_key->c_str());
        }
        if (m_bearer) {
            curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
            curl_easy_setopt(handle, CURLOPT_XOAUTH2_BEARER, credential_text(*m_bearer));
        } else if (m_basic) {
            curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
            curl_easy_setopt(handle, CURLOPT_USERPWD, credential_text(*m_basic));
        }
        apply_common_options(handle, m_profile);
        curl_easy_setopt(handle, CURLOPT_UPLOAD_BUFFERSIZE, static_cast<long>(m_profile.upload_buffer_bytes));
        curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, static_cast<long>(CURL_MAX_READ_SIZE));
        // No "Expect: 100-continue" round trip before each upload.
        m_headers = std::make_unique<HeaderList>();
        m_headers->add("Expect:");
    }

    // The HTTP status, or the error of a transfer that did not complete.
    base::Result<long> perform(BodyTarget& target, std::string const& what)
    {
        curl_easy_setopt(m_easy->handle(), CURLOPT_HTTPHEADER, m_headers->list);
        auto code = m_easy->perform();
        if (code == CURLE_OK)
            return m_easy->response_code();
        if (target.failure)
            return std::move(*target.failure).with_context(m_base_url + ": " + what);
        return base::make_error(classify_curl_failure(code, Protocol::Https), m_base_url + ": " + what + ": " + m_easy->error_text(code));
    }

    base::Error http_failure(long status, BodyTarget const& target, std::string const& what) const
    {
        std::string text = m_base_url + ": " + what + ": HTTP " + std::to_string(status);
        if (status >= 300 && status < 400)
            text += " (a redirect; redirects are never followed)";
        else if (status == 409)
            text += " (a conflict: for WebDAV, the target's folder does not exist)";
        else if (status == 507)
            text += " (the server has no room for the file)";
        auto excerpt = sanitised_excerpt(target.error_page, 200);
        if (!excerpt.empty())
            text += ": " + excerpt;
        return base::make_error(classify_http_status(status), text);
    }

    // WebDAV MOVE with "Overwrite: F": the server answers 412 rather than replace. The
    // Destination is an absolute URI (RFC 4918 10.3; Apache refuses a bare path with 400).
    base::Result<void> move(RemoteArea from_area, std::string_view from_name, RemoteArea to_area, std::string_view to_name)
    {
        prepare(file_url(from_area, from_name));
        curl_easy_setopt(m_easy->handle(), CURLOPT_CUSTOMREQUEST, "MOVE");
        m_headers->add("Destination: " + file_url(to_area, to_name));
        m_headers->add("Overwrite: F");
        auto target = error_target();
        m_easy->receive_into(target);
        auto const what = "moving " + path_of(from_area, from_name) + " to " + path_of(to_area, to_name);
        auto status = TRY(perform(target, what));
        if (status == 412)
            return exists_error(path_of(to_area, to_name));
        if (status < 200 || status > 299)
            return http_failure(status, target, what);
        return {};
    }

    // One multipart/form-data POST to the upload folder; the server publishes the file.
    base::Result<RemoteFile> post(std::filesystem::path const& local_file, std::string_view final_name, std::uint64_t size)
    {
        prepare(directory_url(RemoteArea::Upload));
        std::unique_ptr<curl_mime, void (*)(curl_mime*)> form(curl_mime_init(m_easy->handle()), curl_mime_free);
        auto* part = curl_mime_addpart(form.get());
        curl_mime_name(part, m_profile.https.multipart_field.c_str());
        curl_mime_filedata(part, local_file.c_str());
        curl_mime_filename(part, std::string(final_name).c_str());
        curl_mime_type(part, "application/octet-stream");
        curl_easy_setopt(m_easy->handle(), CURLOPT_MIMEPOST, form.get());
        auto target = error_target();
        m_easy->receive_into(target);
        auto const what = "posting " + path_of(RemoteArea::Upload, final_name);
        auto status = TRY(perform(target, what));
        curl_easy_setopt(m_easy->handle(), CURLOPT_MIMEPOST, nullptr);
        if (status == 409)
            return exists_error(path_of(RemoteArea::Upload, final_name));
        if (status < 200 || status > 299)
            return http_failure(status, target, what);
        return RemoteFile { std::string(final_name), size };
    }

    model::TransportProfile m_profile;
    std::unique_ptr<CurlEasy> m_easy;
    std::unique_ptr<HeaderList> m_headers;
    std::optional<crypto::SecretBuffer> m_bearer;
    std::optional<crypto::SecretBuffer> m_basic;
    std::string m_base_url;
    std::string m_base_path;
    std::string m_authority;
};

} // namespace

base::Result<std::unique_ptr<Session>> make_https_session(model::TransportProfile const& profile)
{
    return open_curl_session<HttpsSession>(profile);
}

} // namespace dcagw::transport
