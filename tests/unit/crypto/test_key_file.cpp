#include "gateway/base/file.hpp"
#include "gateway/crypto/key_file.hpp"

#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

// A fresh private folder per test, removed afterwards.
void write_text(std::filesystem::path const& path, std::string const& text, mode_t mode)
{
    std::ofstream(path, std::ios::binary) << text;
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string read_text(std::filesystem::path const& path)
{
    auto content = base::read_file_limited(path, 1 << 20);
    REQUIRE(content.ok());
    return content.value();
}

} // namespace

TEST_CASE("a generated key file has mode 0600, our header and loads back to the same bytes")
{
    test::TemporaryFolder folder("key-file");
    auto const path = folder.path() / "agency.pseudonym.key";
    std::array<std::uint8_t, 32> secret {};
    for (std::size_t index = 0; index < secret.size(); ++index)
        secret[index] = static_cast<std::uint8_t>(index);
    REQUIRE(write_secret_key_file(path, SecretKeyType::Pseudonym, secret).ok());

    struct stat status {};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0600);
    CHECK(read_text(path) == "# dcagw pseudonym secret key \xE2\x80\x94 keep private (mode 0600)\n"
                             "DCAGW-PSEUDONYM-KEY-1AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");

    auto loaded = load_secret_key_file(path, SecretKeyType::Pseudonym);
    REQUIRE(loaded.ok());
    REQUIRE(loaded.value().size() == 32);
    CHECK(std::equal(secret.begin(), secret.end(), loaded.value().data()));
}

TEST_CASE("writing never replaces an existing key file")
{
    test::TemporaryFolder folder("key-file");
    auto const path = folder.path() / "creditor.ed25519.key";
    REQUIRE(generate_secret_key_file(path, SecretKeyType::Ed25519).ok());
    auto const before = read_text(path);
    auto again = generate_secret_key_file(path, SecretKeyType::Ed25519);
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::AlreadyExists);
    CHECK(read_text(path) == before);
}

TEST_CASE("two generated keys differ")
{
    test::TemporaryFolder folder("key-file");
    REQUIRE(generate_secret_key_file(folder.path() / "a.key", SecretKeyType::Pseudonym).ok());
    REQUIRE(generate_secret_key_file(folder.path() / "b.key", SecretKeyType::Pseudonym).ok());
    CHECK(read_text(folder.path() / "a.key") != read_text(folder.path() / "b.key"));
}

TEST_CASE("a key file group or others can read is refused with the chmod hint")
{
    test::TemporaryFolder folder("key-file");
    auto const path = folder.path() / "open.pseudonym.key";
    REQUIRE(generate_secret_key_file(path, SecretKeyType::Pseudonym).ok());
    for (mode_t const mode : { 0644, 0640, 0604, 0660, 0606 }) {
        REQUIRE(::chmod(path.c_str(), mode) == 0);
        auto loaded = load_secret_key_file(path, SecretKeyType::Pseudonym);
        REQUIRE(loaded.is_error());
        CHECK(loaded.error().code() == base::ErrorCode::PermissionsTooOpen);
        CHECK_THAT(loaded.error().to_text(), Catch::Contains("chmod 600 " + path.string()));
    }
    REQUIRE(::chmod(path.c_str(), 0400) == 0);
    CHECK(load_secret_key_file(path, SecretKeyType::Pseudonym).ok());
}

TEST_CASE("key files are parsed strictly and errors never quote the key")
{
    test::TemporaryFolder folder("key-file");
    auto const path = folder.path() / "k.key";
    std::string const good_line = "DCAGW-PSEUDONYM-KEY-1AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    auto load_text = [&](std::string const& text) {
        std::filesystem::remove(path);
        write_text(path, text, 0600);
        return load_secret_key_file(path, SecretKeyType::Pseudonym);
    };

    CHECK(load_text("# comment\n\n" + good_line + "\n# trailing comment\n").ok());
    CHECK(load_text(good_line).ok()); // no final newline

    auto const expect_invalid = [&](std::string const& text) {
        auto loaded = load_text(text);
        REQUIRE(loaded.is_error());
        CHECK(loaded.error().code() == base::ErrorCode::KeyInvalid);
        CHECK_THAT(loaded.error().to_text(), !Catch::Contains("AAECAwQF"));
    };
    expect_invalid("");
    expect_invalid("# only a comment\n");
    expect_invalid(good_line + "\n" + good_line + "\n");                    // two keys
    expect_invalid(good_line + "\r\n");                                      // CR is not base64
    expect_invalid(" " + good_line + "\n");                                  // leading space
    expect_invalid("DCAGW-PSEUDONYM-KEY-1AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n"); // short
    expect_invalid("DCAGW-PSEUDONYM-KEY-1AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A\n"); // bad padding
    expect_invalid("DCAGW-PSEUDONYM-KEY-1AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH!8=\n"); // bad char
    expect_invalid("DCAGW-ED25519-SECRET-KEY-1AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"); // other type

    auto too_large = load_text(std::string(max_secret_key_file_bytes + 1, '#'));
    REQUIRE(too_large.is_error());
    CHECK(too_large.error().code() == base::ErrorCode::InputTooLarge);
}

TEST_CASE("a missing key file is FileNotFound")
{
    auto loaded = load_secret_key_file("/nonexistent/dcagw/none.key", SecretKeyType::Ed25519);
    REQUIRE(loaded.is_error());
    CHECK(loaded.error().code() == base::ErrorCode::FileNotFound);
}

TEST_CASE("read_secret_file returns the exact bytes of an owner-only file")
{
    test::TemporaryFolder folder("key-file");
    auto const path = folder.path() / "passphrase";
    write_text(path, "correct horse\n", 0600);
    auto content = read_secret_file(path, 100);
    REQUIRE(content.ok());
    CHECK(std::string(reinterpret_cast<char const*>(content.value().data()), content.value().size()) == "correct horse\n");
    auto empty_path = folder.path() / "empty";
    write_text(empty_path, "", 0600);
    auto empty = read_secret_file(empty_path, 100);
    REQUIRE(empty.ok());
    CHECK(empty.value().size() == 0);
    auto capped = read_secret_file(path, 5);
    REQUIRE(capped.is_error());
    CHECK(capped.error().code() == base::ErrorCode::InputTooLarge);
}

TEST_CASE("a symbolic link to a key file is refused, even to an owner-only file")
{
    test::TemporaryFolder folder("key-file");
    auto const target = folder.path() / "real.pseudonym.key";
    REQUIRE(generate_secret_key_file(target, SecretKeyType::Pseudonym).ok());
    auto const link = folder.path() / "linked.pseudonym.key";
    std::filesystem::create_symlink(target, link);
    auto loaded = load_secret_key_file(link, SecretKeyType::Pseudonym);
    REQUIRE(loaded.is_error());
    CHECK(loaded.error().code() == base::ErrorCode::FileUnreadable);
    CHECK_THAT(loaded.error().to_text(), Catch::Contains("symbolic link"));
    CHECK(read_secret_file(link, 4096).is_error());
    CHECK(load_secret_key_file(target, SecretKeyType::Pseudonym).ok());
}

TEST_CASE("a key file owned by another user is refused; one owned by root or this user loads")
{
    test::TemporaryFolder folder("key-file");
    auto const path = folder.path() / "theirs.pseudonym.key";
    REQUIRE(generate_secret_key_file(path, SecretKeyType::Pseudonym).ok());
    CHECK(load_secret_key_file(path, SecretKeyType::Pseudonym).ok());
    if (::geteuid() != 0) {
        WARN("not root: cannot give the file to another user; the owner check is not exercised");
        return;
    }
    // nobody (65534 on Debian) stands for any other account.
    REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
    auto loaded = load_secret_key_file(path, SecretKeyType::Pseudonym);
    REQUIRE(loaded.is_error());
    CHECK(loaded.error().code() == base::ErrorCode::PermissionsTooOpen);
    CHECK_THAT(loaded.error().to_text(), Catch::Contains("owned by uid 65534"));
    CHECK(read_secret_file(path, 4096).is_error());
    REQUIRE(::chown(path.c_str(), 0, 0) == 0);
    CHECK(load_secret_key_file(path, SecretKeyType::Pseudonym).ok());
}

TEST_CASE("a FIFO planted at a key path is refused without blocking")
{
    test::TemporaryFolder folder("key-file");
    auto const path = folder.path() / "fifo.key";
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    auto loaded = read_secret_file(path, 4096);
    REQUIRE(loaded.is_error());
    CHECK_THAT(loaded.error().to_text(), Catch::Contains("not a regular file"));
}
