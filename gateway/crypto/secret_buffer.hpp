// crypto/secret_buffer: memory for secret key material.
//
// Owns: SecretBuffer, a fixed-size byte buffer in sodium_malloc'd memory (guard pages,
// mlock'd where the system allows), wiped and freed on destruction.
// Must never: be copied, printed, logged, or converted to std::string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace dcagw::crypto {

class SecretBuffer {
public:
    explicit SecretBuffer(std::size_t size);
    ~SecretBuffer();
    SecretBuffer(SecretBuffer&& other) noexcept;
    SecretBuffer& operator=(SecretBuffer&& other) noexcept;
    SecretBuffer(SecretBuffer const&) = delete;
    SecretBuffer& operator=(SecretBuffer const&) = delete;

    std::uint8_t* data() { return m_data; }
    std::uint8_t const* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    std::span<std::uint8_t> bytes() { return { m_data, m_size }; }
    std::span<std::uint8_t const> bytes() const { return { m_data, m_size }; }

private:
    std::uint8_t* m_data { nullptr };
    std::size_t m_size { 0 };
};

// Initialises libsodium once; safe to call from anywhere in the crypto module.
void ensure_sodium_initialised();

} // namespace dcagw::crypto
