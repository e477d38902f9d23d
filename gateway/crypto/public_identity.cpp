#include "gateway/crypto/public_identity.hpp"

#include "gateway/crypto/base64.hpp"
#include "gateway/crypto/hash.hpp"
#include "gateway/crypto/key_file.hpp"

#include <cstring>
#include <memory>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <string_view>
#include <vector>

namespace dcagw::crypto {

using base::ErrorCode;
using base::make_error;

namespace {

// An RSA-4096 SSH or PEM key is about 3.4 KB; 16 KiB leaves room and still refuses a
// file that is not a key.
constexpr std::size_t max_key_file_bytes = 16 * 1024;
constexpr std::size_t max_certificate_bytes = 64 * 1024;

constexpr std::string_view openssh_begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view openssh_end = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view openssh_magic { "openssh-key-v1\0", 15 };

std::string fingerprint_of_blob(std::span<std::uint8_t const> blob)
{
    return "SHA256:" + encode_base64(Sha256::digest(blob), Base64Padding::No);
}

// Reads an SSH wire-format string (u32be length, bytes) from `bytes` at `offset`.
bool take_ssh_string(std::span<std::uint8_t const> bytes, std::size_t& offset, std::span<std::uint8_t const>& out)
{
    if (bytes.size() - offset < 4)
        return false;
    std::size_t const length = (std::size_t(bytes[offset]) << 24) | (std::size_t(bytes[offset + 1]) << 16) | (std::size_t(bytes[offset + 2]) << 8) | bytes[offset + 3];
    offset += 4;
    if (bytes.size() - offset < length)
        return false;
    out = bytes.subspan(offset, length);
    offset += length;
    return true;
}

// The openssh-key-v1 layout (OpenSSH's PROTOCOL.key): magic, cipher name, KDF name, KDF
// options, number of keys (1), then the public key blob in the clear; the private part
// that follows (perhaps encrypted) is never looked at.
base::Result<std::string> openssh_fingerprint(std::string_view text, std::filesystem::path const& path)
{
    auto const begin = text.find(openssh_begin);
    auto const end = text.find(openssh_end);
    if (begin == std::string_view::npos || end == std::string_view::npos || end < begin)
        return make_error(ErrorCode::KeyInvalid, path.string() + ": not a complete OpenSSH private key");
    auto const body = text.substr(begin + openssh_begin.size(), end - begin - openssh_begin.size());
    // The decoded key holds the private part: it lives in protected memory.
    SecretBuffer decoded(body.size());
    std::size_t decoded_length = 0;
    if (sodium_base642bin(decoded.data(), decoded.size(), body.data(), body.size(), " \t\r\n", &decoded_length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return make_error(ErrorCode::KeyInvalid, path.string() + ": the OpenSSH private key is not valid base64");
    auto const bytes = decoded.bytes().first(decoded_length);
    if (bytes.size() < openssh_magic.size() || std::memcmp(bytes.data(), openssh_magic.data(), openssh_magic.size()) != 0)
        return make_error(ErrorCode::KeyInvalid, path.string() + ": not an openssh-key-v1 key");
    std::size_t offset = openssh_magic.size();
    std::span<std::uint8_t const> cipher, kdf, kdf_options, public_blob;
    if (!take_ssh_string(bytes, offset, cipher) || !take_ssh_string(bytes, offset, kdf) || !take_ssh_string(bytes, offset, kdf_options) || bytes.size() - offset < 4)
        return make_error(ErrorCode::KeyInvalid, path.string() + ": the OpenSSH key header does not parse");
    bool const one_key = bytes[offset] == 0 && bytes[offset + 1] == 0 && bytes[offset + 2] == 0 && bytes[offset + 3] == 1;
    offset += 4;
    if (!one_key || !take_ssh_string(bytes, offset, public_blob) || public_blob.empty())
        return make_error(ErrorCode::KeyInvalid, path.string() + ": the OpenSSH key file does not hold exactly one public key");
    return fingerprint_of_blob(public_blob);
}

void append_ssh_string(std::vector<std::uint8_t>& out, std::span<std::uint8_t const> bytes)
{
    auto const length = static_cast<std::uint32_t>(bytes.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>((length >> shift) & 0xff));
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void append_ssh_string(std::vector<std::uint8_t>& out, std::string_view text)
{
    append_ssh_string(out, std::span(reinterpret_cast<std::uint8_t const*>(text.data()), text.size()));
}

// An SSH mpint: big-endian, a leading zero byte when the top bit is set (RFC 4251 §5).
bool append_ssh_mpint(std::vector<std::uint8_t>& out, EVP_PKEY const* key, char const* name)
{
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1)
        return false;
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(BN_num_bytes(number)) + 1, 0);
    BN_bn2bin(number, bytes.data() + 1);
    BN_free(number);
    std::size_t const skip = bytes.size() > 1 && (bytes[1] & 0x80) == 0 ? 1 : 0;
    append_ssh_string(out, std::span<std::uint8_t const>(bytes).subspan(skip));
    return true;
}

// The SSH public key blob (RFC 4253 §6.6, RFC 5656, RFC 8709) of an OpenSSL key.
std::optional<std::vector<std::uint8_t>> ssh_public_blob(EVP_PKEY const* key)
{
    std::vector<std::uint8_t> blob;
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        append_ssh_string(blob, "ssh-rsa");
        if (!append_ssh_mpint(blob, key, OSSL_PKEY_PARAM_RSA_E) || !append_ssh_mpint(blob, key, OSSL_PKEY_PARAM_RSA_N))
            return std::nullopt;
        return blob;
    case EVP_PKEY_ED25519: {
        std::uint8_t raw[32];
        std::size_t length = sizeof raw;
        if (EVP_PKEY_get_raw_public_key(key, raw, &length) != 1 || length != sizeof raw)
            return std::nullopt;
        append_ssh_string(blob, "ssh-ed25519");
        append_ssh_string(blob, std::span<std::uint8_t const>(raw, length));
        return blob;
    }
    case EVP_PKEY_EC: {
        char group[32] = {};
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) != 1)
            return std::nullopt;
        std::string_view const curve = std::string_view(group) == "prime256v1" ? "nistp256"
            : std::string_view(group) == "secp384r1"                           ? "nistp384"
            : std::string_view(group) == "secp521r1"                           ? "nistp521"
                                                                               : "";
        std::uint8_t point[160];
        std::size_t length = 0;
        if (curve.empty() || EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &length) != 1)
            return std::nullopt;
        append_ssh_string(blob, "ecdsa-sha2-" + std::string(curve));
        append_ssh_string(blob, curve);
        append_ssh_string(blob, std::span<std::uint8_t const>(point, length));
        return blob;
    }
    default:
        return std::nullopt;
    }
}

// Refuses to prompt: an encrypted PEM key fails to load instead.
int no_passphrase(char*, int, int, void*)
{
    return -1;
}

base::Result<std::string> pem_fingerprint(SecretBuffer const& content, std::filesystem::path const& path)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())), &BIO_free);
    if (!bio)
        return make_error(ErrorCode::CryptoFailure, "OpenSSL could not allocate a buffer");
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &no_passphrase, nullptr), &EVP_PKEY_free);
    if (!key)
        return make_error(ErrorCode::KeyInvalid, path.string() + ": neither an OpenSSH private key nor an unencrypted PEM key (an encrypted PEM key cannot be named "
            "without its passphrase: convert it to OpenSSH format with ssh-keygen -p -f " + path.string() + ")");
    auto const blob = ssh_public_blob(key.get());
    if (!blob)
        return make_error(ErrorCode::KeyInvalid, path.string() + ": a key type SSH does not use (RSA, ECDSA P-256/384/521 or Ed25519)");
    return fingerprint_of_blob(*blob);
}

} // namespace

base::Result<std::string> ssh_public_key_fingerprint(std::filesystem::path const& path)
{
    auto const content = TRY(read_secret_file(path, max_key_file_bytes));
    std::string_view const text(reinterpret_cast<char const*>(content.data()), content.size());
    if (text.find(openssh_begin) != std::string_view::npos)
        return openssh_fingerprint(text, path);
    return pem_fingerprint(content, path);
}

base::Result<std::string> certificate_public_key_sha256(std::filesystem::path const& certificate)
{
    auto const text = TRY(base::read_file_limited(certificate, max_certificate_bytes));
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
    if (!bio)
        return make_error(ErrorCode::CryptoFailure, "OpenSSL could not allocate a buffer");
    std::unique_ptr<X509, decltype(&X509_free)> parsed(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
    if (!parsed)
        return make_error(ErrorCode::KeyInvalid, certificate.string() + ": not a PEM certificate");
    unsigned char* der = nullptr;
    int const length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(parsed.get()), &der);
    if (length <= 0)
        return make_error(ErrorCode::KeyInvalid, certificate.string() + ": the certificate's public key cannot be encoded");
    auto const digest = Sha256::digest(std::span<std::uint8_t const>(der, static_cast<std::size_t>(length)));
    OPENSSL_free(der);
    return digest_hex(digest);
}

} // namespace dcagw::crypto
