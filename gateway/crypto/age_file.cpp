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

base::Result<void> decrypt_file_to(std::filesystem::path const& path_in,
    std::span<AgeIdentity const> identities, std::filesystem::path const& path_out)
{
    std::string const context = "decrypting " + path_in.string();
    auto output = TRY_CONTEXT(base::AtomicFile::create(path_out, base::Overwrite::No), context);
    auto decryptor = TRY_CONTEXT(AgeDecryptor::create(identities, output), context);
    TRY_CONTEXT(base::copy_file_to(path_in, *decryptor), context);
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
    TRY_CONTEXT(base::copy_file_to(path_in, *encryptor), context);
    TRY_CONTEXT(encryptor->finish(), context);
    TRY_CONTEXT(output.commit(), context);
    return {};
}

} // namespace dcagw::crypto
