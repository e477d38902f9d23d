// transport/curl_easy: libcurl handle life cycle, body streaming and failure classification.
#include "gateway/transport/curl_easy.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <mutex>
#include <sys/stat.h>

namespace dcagw::transport {

namespace {

std::size_t write_body(char* data, std::size_t, std::size_t length, void* user)
{
    auto& target = *static_cast<BodyTarget*>(user);
    if (target.http_handle) {
        long status = 0;
        curl_easy_getinfo(target.http_handle, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status > 299) {
            // An error page: keep its start for the message, never hand it on.
            std::size_t room = target.error_page.size() < 512 ? 512 - target.error_page.size() : 0;
            target.error_page.append(data, std::min(room, length));
            return length;
        }
    }
    if (!target.text && !target.sink)
        return length; // a body nobody asked for (a "201 Created" page)
    if (target.received + length > target.max_bytes) {
        target.failure = base::make_error(base::ErrorCode::InputTooLarge,
            "remote file is larger than the limit of " + std::to_string(target.max_bytes) + " bytes");
        return 0; // stops the transfer (CURLE_WRITE_ERROR)
    }
    target.received += length;
    if (target.text) {
        target.text->append(data, length);
        return length;
    }
    auto written = target.sink->write(std::span<std::uint8_t const>(reinterpret_cast<std::uint8_t const*>(data), length));
    if (written.is_error()) {
        target.failure = written.release_error();
        return 0;
    }
    return length;
}

} // namespace

base::Result<std::unique_ptr<CurlEasy>> CurlEasy::create()
{
    static std::once_flag once;
    static CURLcode global_result = CURLE_OK;
    std::call_once(once, [] { global_result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (global_result != CURLE_OK)
        return base::make_error(base::ErrorCode::Internal, "libcurl could not be initialised");
    CURL* handle = curl_easy_init();
    if (!handle)
        return base::make_error(base::ErrorCode::Internal, "libcurl could not create a handle");
    auto easy = std::unique_ptr<CurlEasy>(new CurlEasy(handle));
    easy->reset();
    return easy;
}

CurlEasy::CurlEasy(CURL* handle) : m_handle(handle) {}

CurlEasy::~CurlEasy()
{
    curl_easy_cleanup(m_handle);
}

void CurlEasy::reset()
{
    curl_easy_reset(m_handle);
    m_error_buffer[0] = '\0';
    curl_easy_setopt(m_handle, CURLOPT_ERRORBUFFER, m_error_buffer);
    // No SIGALRM-based DNS timeouts in a multi-threaded program.
    curl_easy_setopt(m_handle, CURLOPT_NOSIGNAL, 1L);
    // Redirects are never followed: a credential must not travel to another host.
    curl_easy_setopt(m_handle, CURLOPT_FOLLOWLOCATION, 0L);
}

void CurlEasy::receive_into(BodyTarget& target)
{
    curl_easy_setopt(m_handle, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(m_handle, CURLOPT_WRITEDATA, &target);
}

CURLcode CurlEasy::perform()
{
    m_error_buffer[0] = '\0';
    return curl_easy_perform(m_handle);
}

std::string CurlEasy::error_text(CURLcode code) const
{
    if (m_error_buffer[0] != '\0')
        return sanitised_excerpt(m_error_buffer, CURL_ERROR_SIZE);
    return curl_easy_strerror(code);
}

long CurlEasy::response_code()
{
    long status = 0;
    curl_easy_getinfo(m_handle, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

std::int64_t CurlEasy::content_length()
{
    curl_off_t length = -1;
    curl_easy_getinfo(m_handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    return length;
}

long CurlEasy::connections_opened()
{
    long count = 0;
    curl_easy_getinfo(m_handle, CURLINFO_NUM_CONNECTS, &count);
    return count;
}

base::Result<LocalUpload> open_local_upload(std::filesystem::path const& path)
{
    LocalUpload upload;
    upload.file.reset(std::fopen(path.c_str(), "rb"));
    struct stat status {};
    if (!upload.file || ::fstat(fileno(upload.file.get()), &status) != 0 || !S_ISREG(status.st_mode))
        return base::make_error(base::ErrorCode::FileUnreadable, path.string() + ": cannot open for upload");
    upload.size = static_cast<std::uint64_t>(status.st_size);
    return upload;
}

std::string const& remote_folder(model::TransportProfile const& profile, RemoteArea area)
{
    switch (area) {
    case RemoteArea::Upload: return profile.upload_directory;
    case RemoteArea::Collect: return profile.collect_directory;
    case RemoteArea::Archive: break;
    }
    return profile.archive_directory;
}

void apply_common_options(CURL* handle, model::TransportProfile const& profile)
{
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(profile.connect_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(profile.transfer_timeout.count()));
    // A transfer slower than this for that long is abandoned as a transient failure
    // (CURLE_OPERATION_TIMEDOUT), long before transfer_timeout.
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(std::min<std::uint64_t>(profile.low_speed_bytes_per_second, LONG_MAX)));
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, static_cast<long>(profile.low_speed_time.count()));
    // "" turns proxies off whatever the environment says; "*" exempts every host as well.
    curl_easy_setopt(handle, CURLOPT_PROXY, "");
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
}

base::ErrorCode classify_curl_failure(CURLcode code, Protocol protocol)
{
    using base::ErrorCode;
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
        return protocol == Protocol::Sftp ? ErrorCode::HostKeyMismatch : ErrorCode::TlsVerificationFailed;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
        return ErrorCode::TlsVerificationFailed;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
        return ErrorCode::AuthenticationFailed;
    case CURLE_REMOTE_ACCESS_DENIED:
        return ErrorCode::RemotePermissionDenied;
    case CURLE_REMOTE_FILE_EXISTS:
        return ErrorCode::RemoteFileExists;
    case CURLE_REMOTE_FILE_NOT_FOUND:
        return ErrorCode::NotFound;
    case CURLE_FILESIZE_EXCEEDED:
        return ErrorCode::InputTooLarge;
    case CURLE_READ_ERROR:
        return ErrorCode::FileUnreadable;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_UNKNOWN_OPTION:
        return ErrorCode::ConfigInvalid;
    case CURLE_PARTIAL_FILE:
        return ErrorCode::TransferIncomplete;
    default:
        // Connection refused or reset, timeouts, DNS, TLS handshakes cut short, a server
        // that went away mid-transfer, a full remote disk: worth another attempt later.
        return ErrorCode::TransportFailure;
    }
}

base::ErrorCode classify_http_status(long status)
{
    using base::ErrorCode;
    switch (status) {
    case 401: return ErrorCode::AuthenticationFailed;
    case 403: return ErrorCode::RemotePermissionDenied;
    case 404:
    case 410: return ErrorCode::NotFound;
    case 412: return ErrorCode::RemoteFileExists; // MOVE with "Overwrite: F" onto an existing name
    case 413: return ErrorCode::InputTooLarge;
    // Worth another attempt later: a timeout, a locked resource (RFC 4918 11.3), a rate
    // limit; 5xx below, 507 "Insufficient Storage" among them (space can be freed).
    case 408:
    case 423:
    case 425:
    case 429: return ErrorCode::TransportFailure;
    default: break;
    }
    if (status >= 500 || status == 0)
        return ErrorCode::TransportFailure;
    // 400 (a malformed request, or nginx refusing a missing client certificate), 405, 409
    // (WebDAV: a parent folder missing), 415, other 4xx, and 3xx redirects, which are
    // never followed: the request as configured cannot succeed by retrying.
    return ErrorCode::RemoteRequestRefused;
}

std::string sanitised_excerpt(std::string_view text, std::size_t max_length)
{
    std::string out;
    for (char character : text) {
        if (out.size() >= max_length)
            break;
        auto byte = static_cast<unsigned char>(character);
        if (byte == '\n' || byte == '\r' || byte == '\t')
            character = ' ';
        else if (byte < 0x20 || byte >= 0x7f)
            character = '?';
        if (character == ' ' && (out.empty() || out.back() == ' '))
            continue;
        out.push_back(character);
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace dcagw::transport
