// transport/curl_easy: the one libcurl easy handle a session reuses for every request, and
// how curl's and the servers' failures map onto the gateway's error catalogue.
//
// Owns: curl_global_init, the handle and its error buffer, streaming response bodies into
// a base::ByteSink or a bounded string, and the classification of failures into transient
// (TransportFailure, TransferIncomplete) and permanent codes.
// Must never: be included outside gateway/transport (curl stays in this module), put a
// credential or response body into an error message (only a short, sanitised excerpt of
// a server's error page).
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/transport_profile.hpp"
#include "gateway/transport/session.hpp"

#include <curl/curl.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dcagw::transport {

enum class Protocol : std::uint8_t { Sftp, Https };

// Where a response body goes: into a sink (downloads) or a bounded string (listings,
// error pages). More than max_bytes stops the transfer with InputTooLarge.
struct BodyTarget {
    static BodyTarget into_text(std::string& text, std::uint64_t max_bytes)
    {
        BodyTarget target;
        target.text = &text;
        target.max_bytes = max_bytes;
        return target;
    }
    static BodyTarget into_sink(base::ByteSink& sink, std::uint64_t max_bytes)
    {
        BodyTarget target;
        target.sink = &sink;
        target.max_bytes = max_bytes;
        return target;
    }

    base::ByteSink* sink { nullptr };
    std::string* text { nullptr };
    std::uint64_t max_bytes { 0 };
    std::uint64_t received { 0 };
    // HTTPS: bodies of non-2xx responses never reach the sink; the first bytes are kept
    // for the error message instead.
    CURL* http_handle { nullptr };
    std::string error_page;
    std::optional<base::Error> failure;
};

class CurlEasy {
public:
    static base::Result<std::unique_ptr<CurlEasy>> create();
    ~CurlEasy();
    CurlEasy(CurlEasy const&) = delete;
    CurlEasy& operator=(CurlEasy const&) = delete;

    CURL* handle() { return m_handle; }

    // Clears every option for the next request; the connection cache survives, so the
    // next request to the same server reuses the open connection.
    void reset();
    // Sends the response body of the next perform() to target (which must outlive it).
    void receive_into(BodyTarget& target);
    CURLcode perform();

    // curl's detailed message for the last failure, or its generic text for code.
    std::string error_text(CURLcode code) const;
    long response_code();
    // Size the server announced (HTTP Content-Length, SFTP file size), or -1.
    std::int64_t content_length();
    long connections_opened();

private:
    explicit CurlEasy(CURL* handle);
    CURL* m_handle;
    char m_error_buffer[CURL_ERROR_SIZE] {};
};

// A local file opened for upload: libcurl's default reader (fread) reads it.
struct LocalUpload {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file { nullptr, std::fclose };
    std::uint64_t size { 0 };
};
base::Result<LocalUpload> open_local_upload(std::filesystem::path const& path);

// The profile's folder for an area.
std::string const& remote_folder(model::TransportProfile const& profile, RemoteArea area);

// Options every request of both protocols gets: the profile's connect and transfer
// timeouts, its low-speed limit, and no proxy (libcurl would otherwise follow the
// environment's https_proxy / all_proxy and send the agency's traffic elsewhere).
void apply_common_options(CURL* handle, model::TransportProfile const& profile);

// Creates a session, reads its credentials and opens it (connect, verify, authenticate).
template<typename SessionType>
base::Result<std::unique_ptr<Session>> open_curl_session(model::TransportProfile const& profile)
{
    auto session = std::make_unique<SessionType>(profile, TRY(CurlEasy::create()));
    TRY(session->load_credentials());
    TRY(session->open());
    return std::unique_ptr<Session>(std::move(session));
}

// The catalogue code for a failed transfer. CURLE_PEER_FAILED_VERIFICATION means a host
// key (SFTP) or a certificate (HTTPS) that did not verify.
base::ErrorCode classify_curl_failure(CURLcode code, Protocol protocol);
// The catalogue code for an HTTP status that is not a success.
base::ErrorCode classify_http_status(long status);

// Printable ASCII only, at most max_length characters: safe to show from a server's
// error page or a hostile file name.
std::string sanitised_excerpt(std::string_view text, std::size_t max_length);

} // namespace dcagw::transport
