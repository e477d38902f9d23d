#include "gateway/crypto/key_file.hpp"

#include "gateway/base/file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dcagw::crypto {

namespace {

std::string_view as_text(std::span<std::uint8_t const> bytes)
{
    return { reinterpret_cast<char const*>(bytes.data()), bytes.size() };
}

// Closes a descriptor on every return path.
class Descriptor {
public:
    explicit Descriptor(int descriptor) : m_descriptor(descriptor) {}
    ~Descriptor()
    {
        if (m_descriptor >= 0)
            ::close(m_descriptor);
    }
    Descriptor(Descriptor const&) = delete;
    Descriptor& operator=(Descriptor const&) = delete;
    int get() const { return m_descriptor; }

private:
    int m_descriptor;
};

} // namespace

std::string_view secret_key_type_name(SecretKeyType type)
{
    switch (type) {
    case SecretKeyType::Pseudonym:
        return "pseudonym";
    case SecretKeyType::Ed25519:
        return "ed25519";
    }
    return "unknown";
}

std::string_view secret_key_prefix(SecretKeyType type)
{
    switch (type) {
    case SecretKeyType::Pseudonym:
        return "DCAGW-PSEUDONYM-KEY-1";
    case SecretKeyType::Ed25519:
        return "DCAGW-ED25519-SECRET-KEY-1";
    }
    return "DCAGW-UNKNOWN";
}

std::size_t secret_key_size(SecretKeyType type)
{
    switch (type) {
    case SecretKeyType::Pseudonym:
        return crypto_generichash_KEYBYTES;
    case SecretKeyType::Ed25519:
        return crypto_sign_SEEDBYTES;
    }
    return 0;
}

base::Result<SecretBuffer> read_secret_file(std::filesystem::path const& path, std::size_t max_bytes)
{
    // Opened first and judged by what was opened (fstat): nothing can be swapped in
    // between a check and the open. O_NOFOLLOW refuses a symbolic link as the last
    // component: a link can be re-pointed by whoever owns its directory, and its own
    // owner and mode say nothing about the key's. O_NONBLOCK keeps a FIFO planted at
    // the path from hanging the open; the S_ISREG check below then refuses it.
    Descriptor const descriptor(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (descriptor.get() < 0) {
        if (errno == ELOOP)
            return base::make_error(base::ErrorCode::FileUnreadable,
                path.string() + ": a symbolic link; secret key files are read only from the file itself (configure the real path)");
        auto const code = errno == ENOENT ? base::ErrorCode::FileNotFound : base::ErrorCode::FileUnreadable;
        return base::make_error(code, path.string() + ": " + std::strerror(errno));
    }
    struct stat status {};
    if (::fstat(descriptor.get(), &status) != 0)
        return base::make_error(base::ErrorCode::FileUnreadable, path.string() + ": " + std::strerror(errno));
    if (!S_ISREG(status.st_mode))
        return base::make_error(base::ErrorCode::FileUnreadable, path.string() + ": not a regular file");
    if ((status.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
        return base::make_error(base::ErrorCode::PermissionsTooOpen,
            path.string() + ": secret key file has mode " + mode + " and group or others can use it; fix with: chmod 600 " + path.string());
    }
    // A key file owned by another user (not root) could be rewritten by that user: the
    // gateway would sign, or pseudonymise, with a key someone else chose.
    if (status.st_uid != ::geteuid() && status.st_uid != 0)
        return base::make_error(base::ErrorCode::PermissionsTooOpen,
            path.string() + ": secret key file is owned by uid " + std::to_string(status.st_uid) + ", not by this user (uid " + std::to_string(::geteuid())
                + ") or root; fix with: chown " + std::to_string(::geteuid()) + " " + path.string());
    if (static_cast<std::uint64_t>(status.st_size) > max_bytes)
        return base::make_error(base::ErrorCode::InputTooLarge, path.string() + ": larger than the limit of " + std::to_string(max_bytes) + " bytes for a secret file");

    auto const expected = static_cast<std::size_t>(status.st_size);
    SecretBuffer content(expected);
    std::size_t filled = 0;
    while (true) {
        // One spare byte is read past the expected end so a file that grew is noticed.
        std::uint8_t probe = 0;
        std::uint8_t* target = filled < expected ? content.data() + filled : &probe;
        std::size_t const wanted = filled < expected ? expected - filled : 1;
        ssize_t const count = ::read(descriptor.get(), target, wanted);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            return base::make_error(base::ErrorCode::FileUnreadable, path.string() + ": " + std::strerror(errno));
        }
        if (count == 0)
            break;
        if (target == &probe) {
            sodium_memzero(&probe, sizeof probe);
            return base::make_error(base::ErrorCode::InputMalformed, path.string() + ": file changed size while it was read");
        }
        filled += static_cast<std::size_t>(count);
    }
    if (filled != expected)
        return base::make_error(base::ErrorCode::InputMalformed, path.string() + ": file changed size while it was read");
    return content;
}

base::Result<SecretBuffer> parse_secret_key_text(std::span<std::uint8_t const> text, SecretKeyType type)
{
    auto const prefix = secret_key_prefix(type);
    auto const size = secret_key_size(type);
    auto const encoded_length = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL) - 1;
    std::string_view const all = as_text(text);
    std::string_view key_line;
    bool found = false;
    std::size_t line_number = 0;
    std::size_t position = 0;
    while (position < all.size()) {
        ++line_number;
        auto end = all.find('\n', position);
        if (end == std::string_view::npos)
            end = all.size();
        std::string_view const line = all.substr(position, end - position);
        position = end + 1;
        if (line.empty() || line.front() == '#')
            continue;
        // Error messages name the line but never quote it: it may be key material.
        if (line.substr(0, prefix.size()) != prefix)
            return base::make_error(base::ErrorCode::KeyInvalid, "line " + std::to_string(line_number) + ": not a comment and not a " + std::string(prefix) + " line (is this a " + std::string(secret_key_type_name(type)) + " key file?)");
        if (found)
            return base::make_error(base::ErrorCode::KeyInvalid, "line " + std::to_string(line_number) + ": a second key line; a key file holds exactly one key");
        key_line = line;
        found = true;
    }
    if (!found)
        return base::make_error(base::ErrorCode::KeyInvalid, std::string("no ") + std::string(prefix) + " line found");
    std::string_view const encoded = key_line.substr(prefix.size());
    if (encoded.size() != encoded_length)
        return base::make_error(base::ErrorCode::KeyInvalid, "the key is " + std::to_string(encoded.size()) + " base64 characters long; expected " + std::to_string(encoded_length));
    SecretBuffer secret(size);
    std::size_t decoded_length = 0;
    char const* encoded_end = nullptr;
    if (sodium_base642bin(secret.data(), secret.size(), encoded.data(), encoded.size(), nullptr, &decoded_length, &encoded_end, sodium_base64_VARIANT_ORIGINAL) != 0
        || encoded_end != encoded.data() + encoded.size() || decoded_length != size)
        return base::make_error(base::ErrorCode::KeyInvalid, "the key is not valid base64 of " + std::to_string(size) + " bytes");
    return secret;
}

base::Result<SecretBuffer> load_secret_key_file(std::filesystem::path const& path, SecretKeyType type)
{
    auto const text = TRY(read_secret_file(path, max_secret_key_file_bytes));
    return TRY_CONTEXT(parse_secret_key_text(text.bytes(), type), "reading " + std::string(secret_key_type_name(type)) + " key " + path.string());
}

base::Result<void> write_secret_key_file(std::filesystem::path const& path, SecretKeyType type, std::span<std::uint8_t const> secret)
{
    if (secret.size() != secret_key_size(type))
        return base::make_error(base::ErrorCode::Internal, "a " + std::string(secret_key_type_name(type)) + " key must be " + std::to_string(secret_key_size(type)) + " bytes");
    // The base64 text of the key is as secret as the key, so it is built in protected
    // memory (the terminating NUL included) and written from there.
    SecretBuffer encoded(sodium_base64_ENCODED_LEN(secret.size(), sodium_base64_VARIANT_ORIGINAL));
    sodium_bin2base64(reinterpret_cast<char*>(encoded.data()), encoded.size(), secret.data(), secret.size(), sodium_base64_VARIANT_ORIGINAL);
    auto file = TRY(base::AtomicFile::create(path, base::Overwrite::No));
    std::string const header = "# dcagw " + std::string(secret_key_type_name(type)) + " secret key \xE2\x80\x94 keep private (mode 0600)\n";
    TRY(file.write(header));
    TRY(file.write(secret_key_prefix(type)));
    TRY(file.write(encoded.bytes().first(encoded.size() - 1)));
    TRY(file.write(std::string_view("\n")));
    TRY(file.commit());
    return {};
}

base::Result<void> generate_secret_key_file(std::filesystem::path const& path, SecretKeyType type)
{
    ensure_sodium_initialised();
    SecretBuffer secret(secret_key_size(type));
    randombytes_buf(secret.data(), secret.size());
    return write_secret_key_file(path, type, secret.bytes());
}

} // namespace dcagw::crypto

