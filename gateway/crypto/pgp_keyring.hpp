// crypto/pgp_keyring: the private, file-fed librnp keyring behind crypto/pgp (internal to
// the crypto module; only pgp_*.cpp include it).
//
// Owns: one rnp_ffi_t per operation, created with no home directory; loading a public key
// file (size-capped) and a secret key file (owner-only, read into SecretBuffer); the
// passphrase provider fed from an owner-only file; mapping rnp results to our errors.
// Must never: consult gpg-agent or ~/.gnupg, or hand the passphrase to anything but rnp.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/crypto/secret_buffer.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <rnp/rnp.h>
#include <rnp/rnp_err.h>
#include <string>
#include <string_view>

namespace dcagw::crypto {

// Destroys an rnp key handle on scope exit.
class PgpKeyHandle {
public:
    PgpKeyHandle() = default;
    explicit PgpKeyHandle(rnp_key_handle_t handle) : m_handle(handle) {}
    ~PgpKeyHandle();
    PgpKeyHandle(PgpKeyHandle&& other) noexcept : m_handle(other.m_handle) { other.m_handle = nullptr; }
    PgpKeyHandle& operator=(PgpKeyHandle&& other) noexcept;
    PgpKeyHandle(PgpKeyHandle const&) = delete;
    PgpKeyHandle& operator=(PgpKeyHandle const&) = delete;
    rnp_key_handle_t get() const { return m_handle; }

private:
    rnp_key_handle_t m_handle { nullptr };
};

// A string allocated by librnp, freed with rnp_buffer_destroy.
std::string take_rnp_string(char* text);

class PgpKeyring {
public:
    static base::Result<PgpKeyring> create();
    ~PgpKeyring();
    PgpKeyring(PgpKeyring&& other) noexcept;
    PgpKeyring& operator=(PgpKeyring&&) = delete;
    PgpKeyring(PgpKeyring const&) = delete;

    // Each returns the fingerprint of the one primary key the file adds.
    base::Result<std::string> load_public_key_file(std::filesystem::path const& path);
    base::Result<std::string> load_secret_key_file(std::filesystem::path const& path);
    base::Result<void> load_passphrase_file(std::filesystem::path const& path);

    base::Result<PgpKeyHandle> locate(std::string const& fingerprint) const;
    rnp_ffi_t ffi() const { return m_ffi; }

private:
    explicit PgpKeyring(rnp_ffi_t ffi);
    base::Result<std::string> load_keys(std::filesystem::path const& path, std::string_view data, std::uint32_t flags);

    rnp_ffi_t m_ffi { nullptr };
    // Heap-held so its address is stable for the provider callback across moves.
    std::unique_ptr<std::optional<SecretBuffer>> m_passphrase;
};

// Converts a failed rnp call into our error, naming what was being done.
base::Error rnp_error(rnp_result_t result, std::string_view doing);

} // namespace dcagw::crypto
