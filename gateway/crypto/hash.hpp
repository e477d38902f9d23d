// crypto/hash: SHA-256 of data at rest and in flight.
//
// Owns: Sha256 (an incremental hasher) and HashingSink, a base::ByteSink that hashes the
// bytes passing through on their way to another sink (the pipeline records file hashes
// this way without reading a file twice).
// Must never: be used as a MAC or a key derivation (there is HMAC and HKDF for that), or
// change the bytes it passes on.
#pragma once

#include "gateway/base/file.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace dcagw::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&& other) noexcept;
    Sha256& operator=(Sha256&& other) noexcept;
    Sha256(Sha256 const&) = delete;
    Sha256& operator=(Sha256 const&) = delete;

    void update(std::span<std::uint8_t const> bytes);
    void update(std::string_view text);
    // Returns the digest and resets the hasher for reuse.
    Sha256Digest finish();

    static Sha256Digest digest(std::span<std::uint8_t const> bytes);
    static Sha256Digest digest(std::string_view text);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Lower-case hexadecimal, as sha256sum prints it.
std::string digest_hex(Sha256Digest const& digest);

// SHA-256 of a whole file, read in pieces (constant memory).
base::Result<Sha256Digest> sha256_of_file(std::filesystem::path const& path);

// Hashes everything written, forwarding each write to `downstream` (when given) first so a
// failed write is not counted. finish() finishes the downstream sink too.
class HashingSink final : public base::ByteSink {
public:
    // Hashes and passes on; downstream must outlive this sink.
    explicit HashingSink(base::ByteSink& downstream);
    // Hashes only.
    HashingSink();

    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override;
    base::Result<void> finish() override;

    // The digest of everything written so far; valid after finish().
    Sha256Digest const& digest() const { return m_digest; }
    std::uint64_t byte_count() const { return m_byte_count; }

private:
    base::ByteSink* m_downstream { nullptr };
    Sha256 m_hasher;
    Sha256Digest m_digest {};
    std::uint64_t m_byte_count { 0 };
    bool m_finished { false };
};

} // namespace dcagw::crypto
