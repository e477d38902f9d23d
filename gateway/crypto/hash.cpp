#include "gateway/crypto/hash.hpp"

#include <cstdlib>
#include <openssl/evp.h>

namespace dcagw::crypto {

struct Sha256::State {
    EVP_MD_CTX* context { nullptr };
};

namespace {

// Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again (taking its
// provider locks) on every initialisation, which dominated hashing many short strings
// (the audit chain verifies a million entries a second). Never freed: it lives as long
// as the process.
EVP_MD const* sha256_algorithm()
{
    static EVP_MD const* const algorithm = [] {
        EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
        return fetched != nullptr ? static_cast<EVP_MD const*>(fetched) : EVP_sha256();
    }();
    return algorithm;
}

void start(EVP_MD_CTX* context)
{
    // Failure here means OpenSSL cannot provide SHA-256 at all: not recoverable.
    if (EVP_DigestInit_ex(context, sha256_algorithm(), nullptr) != 1)
        std::abort();
}

} // namespace

Sha256::Sha256()
    : m_state(std::make_unique<State>())
{
    m_state->context = EVP_MD_CTX_new();
    if (m_state->context == nullptr)
        std::abort();
    start(m_state->context);
}

Sha256::~Sha256()
{
    if (m_state)
        EVP_MD_CTX_free(m_state->context);
}

Sha256::Sha256(Sha256&& other) noexcept = default;

Sha256& Sha256::operator=(Sha256&& other) noexcept
{
    if (this != &other) {
        if (m_state)
            EVP_MD_CTX_free(m_state->context);
        m_state = std::move(other.m_state);
    }
    return *this;
}

void Sha256::update(std::span<std::uint8_t const> bytes)
{
    if (!bytes.empty() && EVP_DigestUpdate(m_state->context, bytes.data(), bytes.size()) != 1)
        std::abort();
}

void Sha256::update(std::string_view text)
{
    update(std::span<std::uint8_t const>(reinterpret_cast<std::uint8_t const*>(text.data()), text.size()));
}

Sha256Digest Sha256::finish()
{
    Sha256Digest digest {};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_state->context, digest.data(), &length) != 1 || length != digest.size())
        std::abort();
    start(m_state->context);
    return digest;
}

Sha256Digest Sha256::digest(std::span<std::uint8_t const> bytes)
{
    Sha256 hasher;
    hasher.update(bytes);
    return hasher.finish();
}

Sha256Digest Sha256::digest(std::string_view text)
{
    Sha256 hasher;
    hasher.update(text);
    return hasher.finish();
}

std::string digest_hex(Sha256Digest const& bytes)
{
    constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (std::uint8_t const byte : bytes) {
        text.push_back(digits[byte >> 4]);
        text.push_back(digits[byte & 15]);
    }
    return text;
}

HashingSink::HashingSink(base::ByteSink& downstream)
    : m_downstream(&downstream)
{
}

HashingSink::HashingSink() = default;

base::Result<void> HashingSink::write(std::span<std::uint8_t const> bytes)
{
    if (m_finished)
        return base::make_error(base::ErrorCode::Internal, "write after finish on a hashing sink");
    if (m_downstream != nullptr)
        TRY(m_downstream->write(bytes));
    m_hasher.update(bytes);
    m_byte_count += bytes.size();
    return {};
}

base::Result<void> HashingSink::finish()
{
    if (m_finished)
        return {};
    m_finished = true;
    m_digest = m_hasher.finish();
    if (m_downstream != nullptr)
        TRY(m_downstream->finish());
    return {};
}

} // namespace dcagw::crypto

namespace dcagw::crypto {

base::Result<Sha256Digest> sha256_of_file(std::filesystem::path const& path)
{
    HashingSink hasher;
    TRY(base::copy_file_to(path, hasher));
    TRY(hasher.finish());
    return hasher.digest();
}

} // namespace dcagw::crypto
