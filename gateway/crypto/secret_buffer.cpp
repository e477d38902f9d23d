#include "gateway/crypto/secret_buffer.hpp"

#include <cstdlib>
#include <sodium.h>
#include <utility>

namespace dcagw::crypto {

void ensure_sodium_initialised()
{
    // sodium_init is idempotent and thread-safe; a failure means no usable randomness,
    // which no caller can recover from.
    static bool const initialised = sodium_init() >= 0;
    if (!initialised)
        std::abort();
}

SecretBuffer::SecretBuffer(std::size_t size)
    : m_size(size)
{
    ensure_sodium_initialised();
    m_data = static_cast<std::uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
    if (m_data == nullptr)
        std::abort(); // out of locked memory: not recoverable, and never silently unprotected
}

SecretBuffer::~SecretBuffer()
{
    if (m_data != nullptr)
        sodium_free(m_data); // sodium_free wipes before freeing
}

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0))
{
}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept
{
    if (this != &other) {
        if (m_data != nullptr)
            sodium_free(m_data);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

} // namespace dcagw::crypto
