#include "gateway/crypto/pseudonym.hpp"

#include "gateway/crypto/key_file.hpp"

#include <cassert>
#include <cstring>
#include <cstdint>
#include <sodium.h>

namespace dcagw::crypto {

namespace {

// BLAKE2b-256 is computed and its first 15 bytes kept: libsodium's minimum output length
// is 16 bytes, and a truncated standard-length hash is easy to reproduce elsewhere
// (hashlib.blake2b(key=k, digest_size=32).digest()[:15]).
constexpr std::size_t hash_size = crypto_generichash_BYTES;
constexpr std::size_t kept_bytes = 15;
constexpr std::size_t state_alignment = 64;
constexpr std::size_t state_buffer_size = sizeof(crypto_generichash_state) + state_alignment;

constexpr char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// sodium_malloc does not promise the 64-byte alignment the state type declares, so the
// state sits at the first aligned address inside its buffer.
std::size_t alignment_offset(void const* buffer)
{
    auto const address = reinterpret_cast<std::uintptr_t>(buffer);
    return (state_alignment - address % state_alignment) % state_alignment;
}

crypto_generichash_state* aligned_state(std::uint8_t* buffer)
{
    return reinterpret_cast<crypto_generichash_state*>(buffer + alignment_offset(buffer));
}

crypto_generichash_state const* aligned_state(std::uint8_t const* buffer)
{
    return reinterpret_cast<crypto_generichash_state const*>(buffer + alignment_offset(buffer));
}

} // namespace

PseudonymKey::PseudonymKey(SecretBuffer keyed_state)
    : m_keyed_state(std::move(keyed_state))
{
}

base::Result<PseudonymKey> PseudonymKey::from_secret(std::span<std::uint8_t const> key)
{
    if (key.size() != key_size)
        return base::make_error(base::ErrorCode::KeyInvalid, "a pseudonym key must be " + std::to_string(key_size) + " bytes");
    ensure_sodium_initialised();
    SecretBuffer state(state_buffer_size);
    if (crypto_generichash_init(aligned_state(state.data()), key.data(), key.size(), hash_size) != 0)
        return base::make_error(base::ErrorCode::CryptoFailure, "BLAKE2b initialisation failed");
    return PseudonymKey(std::move(state));
}

base::Result<PseudonymKey> PseudonymKey::load(std::filesystem::path const& path)
{
    auto const key = TRY(load_secret_key_file(path, SecretKeyType::Pseudonym));
    return from_secret(key.bytes());
}

std::string PseudonymKey::key_id() const
{
    static constexpr char constant[] = "\0dcagw-pseudonym-key-id-v1";
    std::string id;
    append_keyed(id, { std::string_view(constant, sizeof constant - 1) });
    return id;
}

void PseudonymKey::append_pseudonym(std::string& out, std::string_view domain, std::string_view input) const
{
    assert(!domain.empty() && domain.find('\0') == std::string_view::npos && "a pseudonym's domain is a field name");
    static constexpr char separator = '\0';
    append_keyed(out, { domain, std::string_view(&separator, 1), input });
}

void PseudonymKey::append_keyed(std::string& out, std::initializer_list<std::string_view> pieces) const
{
    // The copy of the keyed state is as sensitive as the key: it lives on the stack only
    // for this call and is wiped before returning.
    alignas(state_alignment) crypto_generichash_state state;
    std::memcpy(&state, aligned_state(m_keyed_state.data()), sizeof state);
    for (auto const piece : pieces)
        crypto_generichash_update(&state, reinterpret_cast<unsigned char const*>(piece.data()), piece.size());
    unsigned char hash[hash_size];
    crypto_generichash_final(&state, hash, sizeof hash);
    sodium_memzero(&state, sizeof state);

    // 15 bytes = 120 bits = exactly 24 base32 digits, so no padding is ever needed.
    char text[pseudonym_length];
    text[0] = 'P';
    std::size_t written = 1;
    for (std::size_t group = 0; group < kept_bytes; group += 5) {
        std::uint64_t bits = 0;
        for (std::size_t index = 0; index < 5; ++index)
            bits = (bits << 8) | hash[group + index];
        for (int shift = 35; shift >= 0; shift -= 5)
            text[written++] = base32_alphabet[(bits >> shift) & 31];
    }
    sodium_memzero(hash, sizeof hash);
    out.append(text, sizeof text);
}

base::Result<void> generate_pseudonym_key_file(std::filesystem::path const& path)
{
    return generate_secret_key_file(path, SecretKeyType::Pseudonym);
}

} // namespace dcagw::crypto
