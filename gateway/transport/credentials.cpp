// transport/credentials: one-line secret files into sodium memory.
#include "gateway/transport/credentials.hpp"

#include "gateway/crypto/key_file.hpp"

#include <cstring>

namespace dcagw::transport {

base::Result<crypto::SecretBuffer> read_credential_line(std::filesystem::path const& path)
{
    auto content = TRY(crypto::read_secret_file(path, crypto::max_secret_key_file_bytes));
    std::size_t length = 0;
    while (length < content.size() && content.data()[length] != '\n' && content.data()[length] != '\r')
        ++length;
    if (length == 0)
        return base::make_error(base::ErrorCode::ConfigInvalid, path.string() + ": the credential file is empty");
    for (std::size_t index = 0; index < length; ++index) {
        if (content.data()[index] == '\0')
            return base::make_error(base::ErrorCode::ConfigInvalid, path.string() + ": the credential file contains a NUL byte");
    }
    crypto::SecretBuffer line(length + 1);
    std::memcpy(line.data(), content.data(), length);
    line.data()[length] = '\0';
    return line;
}

} // namespace dcagw::transport
