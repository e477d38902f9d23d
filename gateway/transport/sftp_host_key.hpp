// transport/sftp_host_key: libcurl's two host key callbacks for SFTP sessions.
//
// Owns: comparing the key libssh2 negotiated with the profile's pins (one per key type)
// or with a known_hosts entry libssh2 looked up, and remembering what was seen and
// expected for the refusal's message.
// Must never: accept a key that matches neither, add anything to a known_hosts file, or
// accept a pin for one key type as a match for a key of another.
#pragma once

#include "gateway/transport/host_key.hpp"

#include <curl/curl.h>

#include <cstddef>
#include <string>
#include <vector>

namespace dcagw::transport {

// What the host key callbacks saw, for the error message when they refuse the server.
struct HostKeyCheck {
    std::vector<HostKeyPin> pins;
    std::string known_hosts;
    std::string seen;
    std::string expected;
    std::string refusal;
};

// CURLOPT_SSH_HOSTKEYFUNCTION (pins only); user is the HostKeyCheck.
int check_pinned_host_key(void* user, int curl_type, char const* key, std::size_t length);
// CURLOPT_SSH_KEYFUNCTION (a known_hosts file, maybe pins too); user is the HostKeyCheck.
int check_known_host(CURL* handle, curl_khkey const* known, curl_khkey const* found, curl_khmatch match, void* user);

} // namespace dcagw::transport
