// crypto/pseudonym: per-agency pseudonymous references, the model::Pseudonymiser that
// minimise uses.
//
// Owns: PseudonymKey (a 32-byte BLAKE2b key kept in protected memory), the pseudonym
// layout "P" + base32(first 15 bytes of keyed BLAKE2b-256(domain || 0x00 || input)) = 25
// characters, and creating/loading pseudonym key files.
// Must never: expose the key or the keyed hash state, print either, or allocate on the
// per-record path beyond appending to the caller's string.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/crypto/secret_buffer.hpp"
#include "gateway/model/pseudonymiser.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace dcagw::crypto {

class PseudonymKey final : public model::Pseudonymiser {
public:
    // "P" followed by 24 base32 characters (15 bytes = 120 bits: collisions among even a
    // hundred million references are negligible, and the reference stays short enough for
    // agencies' 30-character account fields).
    static constexpr std::size_t pseudonym_length = 25;
    static constexpr std::size_t key_size = 32;

    // Loads a DCAGW-PSEUDONYM-KEY-1 file (owner-only permissions required).
    static base::Result<PseudonymKey> load(std::filesystem::path const& path);
    // From raw key bytes (exactly key_size), e.g. in tests.
    static base::Result<PseudonymKey> from_secret(std::span<std::uint8_t const> key);

    PseudonymKey(PseudonymKey&&) noexcept = default;
    PseudonymKey& operator=(PseudonymKey&&) noexcept = default;

    // Hot path: copies the pre-keyed BLAKE2b state, hashes domain, a 0x00 byte and the
    // input, appends 25 characters to `out`. The domain (the field's name) keeps the same
    // value in two fields from having one pseudonym. Thread-safe: the shared state is
    // only read. `domain` must not be empty (a programming error).
    void append_pseudonym(std::string& out, std::string_view domain, std::string_view input) const override;

    // Names the key in the audit log without saying anything about it: the keyed hash,
    // as above, of "\0dcagw-pseudonym-key-id-v1", which no domain-separated input can be
    // (domains are never empty, so those never start with a NUL). Two files holding the
    // same key have the same id; a new key has a new one.
    std::string key_id() const;

private:
    explicit PseudonymKey(SecretBuffer keyed_state);
    // The 25 characters of the keyed hash of the concatenated pieces.
    void append_keyed(std::string& out, std::initializer_list<std::string_view> pieces) const;

    // Holds a crypto_generichash_state already initialised with the key, plus room to
    // align it to 64 bytes; copying it per call avoids re-running the key block.
    SecretBuffer m_keyed_state;
};

// Writes a fresh random pseudonym key file (mode 0600, never replacing a file).
base::Result<void> generate_pseudonym_key_file(std::filesystem::path const& path);

} // namespace dcagw::crypto
