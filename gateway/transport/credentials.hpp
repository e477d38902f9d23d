// transport/credentials: secrets a session hands to libcurl, read from 0600 files.
//
// Owns: reading a passphrase, password, token or "user:password" file into sodium memory
// as one NUL-terminated line (the trailing newline dropped).
// Must never: read a file group or others can access, or copy a secret into a
// std::string (libcurl keeps its own copy; that is the only other one).
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/crypto/secret_buffer.hpp"

#include <filesystem>

namespace dcagw::transport {

// The file's first line, NUL-terminated, so (char const*)data() can go to curl_easy_setopt.
base::Result<crypto::SecretBuffer> read_credential_line(std::filesystem::path const& path);

inline char const* credential_text(crypto::SecretBuffer const& buffer)
{
    return reinterpret_cast<char const*>(buffer.data());
}

} // namespace dcagw::transport
