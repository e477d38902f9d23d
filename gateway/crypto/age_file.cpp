// decrypt_file_to and encrypt_file_to (see age.hpp): file-to-file streaming through
// base::AtomicFile, so a destination appears only when complete and authenticated.
#include "gateway/crypto/age.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace dcagw::crypto {

using base::ErrorCode;
using base::make_error;

namespace {

// Reading in 1 MiB blocks keeps syscalls rare while memory stays constant.
constexpr std::size_t read_block_size = 1 << 20;

// Streams a file into sink.write(); the caller finishes the sink. base/file has no
// streaming reader yet, so this small loop lives here (see docs/age.md).
base::Result<void> stream_file_into(std::filesystem::path const& path, base::ByteSink& sink)
{
    int const descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) {
        auto const code = errno == ENOENT ? ErrorCode::FileNotFound : ErrorCode::FileUnreadable;
        return make_error(code, path.string() + ": " + std::strerror(errno));
    }
    std::vector<std::uint8_t> buffer(read_block_size);
    base::Result<void> result;
    while (true) {
        ssize_t const count = ::read(descriptor, buffer.data(), buffer.size());
        if (count < 0) {
            if (errno == EINTR)
                continue;
            result = make_error(ErrorCode::FileUnreadable, path.string() + ": " + std::strerror(errno));
            break;
        }
        if (count == 0)
            break;
        result = sink.write(std::span<std::uint8_t const>(buffer.data(), static_cast<std::size_t>(count)));
        if (result.is_error())
            break;
    }
    ::close(descriptor);
    return result;
}

} // namespace

base::Result<void> decrypt_file_to(std::filesystem::path const& path_in,
    std::span<AgeIdentity const> identities, std::filesystem::path const& path_out)
{
    std::string const context = "decrypting " + path_in.string();
    auto output = TRY_CONTEXT(base::AtomicFile::create(path_out, base::Overwrite::No), context);
    auto decryptor = TRY_CONTEXT(AgeDecryptor::create(identities, output), context);
    TRY_CONTEXT(stream_file_into(path_in, *decryptor), context);
    // finish() authenticates the final chunk and fsyncs; only then is the file published.
    // On any failure `output` is destroyed uncommitted and its temporary file removed.
    TRY_CONTEXT(decryptor->finish(), context);
    TRY_CONTEXT(output.commit(), context);
    return {};
}

base::Result<void> encrypt_file_to(std::filesystem::path const& path_in,
    std::span<AgeRecipient const> recipients, std::filesystem::path const& path_out, Armor armor)
{
    std::string const context = "encrypting " + path_in.string();
    auto output = TRY_CONTEXT(base::AtomicFile::create(path_out, base::Overwrite::No), context);
    auto encryptor = TRY_CONTEXT(AgeEncryptor::create(recipients, output, armor), context);
    TRY_CONTEXT(stream_file_into(path_in, *encryptor), context);
    TRY_CONTEXT(encryptor->finish(), context);
    TRY_CONTEXT(output.commit(), context);
    return {};
}

} // namespace dcagw::crypto
