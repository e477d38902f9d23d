#include "gateway/base/file.hpp"
#include "gateway/crypto/pgp.hpp"

#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

// Copies the example OpenPGP keys into a private temporary folder: after a git checkout
// the secret files are 0644, which the loader (rightly) refuses.
struct PgpFolder : test::TemporaryFolder {
    PgpFolder() : test::TemporaryFolder("pgp")
    {
        std::filesystem::path const keys = std::filesystem::path(DCAGW_SOURCE_DIR) / "keys-example";
        for (auto const* name : { "example-agency.pgp-public.asc", "example-agency.pgp-secret.asc", "creditor.pgp-public.asc", "creditor.pgp-secret.asc" }) {
            std::filesystem::copy_file(keys / name, path() / name);
            REQUIRE(::chmod((path() / name).c_str(), 0600) == 0);
        }
    }
};

std::string make_content(std::size_t size)
{
    std::string content;
    content.reserve(size);
    std::uint32_t value = 12345;
    for (std::size_t index = 0; index < size; ++index) {
        value = value * 1103515245 + 12345;
        content.push_back(static_cast<char>(value >> 24));
    }
    return content;
}

void write_file(std::filesystem::path const& path, std::string const& content)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string read_file(std::filesystem::path const& path)
{
    auto content = base::read_file_limited(path, 64 << 20);
    REQUIRE(content.ok());
    return content.release_value();
}

PgpEncryptOptions to_agency(PgpFolder const& folder, PgpArmor armor)
{
    PgpEncryptOptions options;
    options.recipient_public_key = folder / "example-agency.pgp-public.asc";
    options.signing_secret_key = folder / "creditor.pgp-secret.asc";
    options.armor = armor;
    options.literal_file_name = "placement.csv";
    return options;
}

PgpDecryptOptions as_agency(PgpFolder const& folder, RequireSignature require)
{
    PgpDecryptOptions options;
    options.secret_key = folder / "example-agency.pgp-secret.asc";
    options.sender_public_key = folder / "creditor.pgp-public.asc";
    options.require_signature = require;
    return options;
}

// A sink that keeps everything in memory, for small outputs.
struct MemorySink final : base::ByteSink {
    std::string data;
    bool finished = false;
    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override
    {
        data.append(reinterpret_cast<char const*>(bytes.data()), bytes.size());
        return {};
    }
    base::Result<void> finish() override
    {
        finished = true;
        return {};
    }
};

struct FailingSink final : base::ByteSink {
    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const>) override { return base::make_error(base::ErrorCode::FileWriteFailed, "disk full (test)"); }
    base::Result<void> finish() override { return {}; }
};

} // namespace

TEST_CASE("OpenPGP encrypt-and-sign round-trips at several sizes, armored and binary")
{
    PgpFolder folder;
    for (auto const armor : { PgpArmor::Armored, PgpArmor::Binary }) {
        for (std::size_t const size : { std::size_t(0), std::size_t(1), std::size_t(65536), std::size_t(3 * 1024 * 1024 + 7) }) {
            INFO("size " << size << (armor == PgpArmor::Armored ? " armored" : " binary"));
            auto const content = make_content(size);
            auto const name = std::to_string(size) + (armor == PgpArmor::Armored ? ".asc" : ".pgp");
            write_file(folder.path() / ("plain-" + name), content);
            REQUIRE(pgp_encrypt_file(to_agency(folder, armor), folder.path() / ("plain-" + name), folder.path() / ("cipher-" + name)).ok());
            auto const ciphertext = read_file(folder.path() / ("cipher-" + name));
            CHECK((ciphertext.rfind("-----BEGIN PGP MESSAGE-----", 0) == 0) == (armor == PgpArmor::Armored));

            auto const report = pgp_decrypt_file(as_agency(folder, RequireSignature::Yes), folder.path() / ("cipher-" + name), folder.path() / ("out-" + name));
            REQUIRE(report.ok());
            CHECK(report.value().signature == PgpSignatureStatus::Valid);
            CHECK(report.value().plaintext_bytes == size);
            CHECK(report.value().signer_fingerprint.size() == 40);
            CHECK(read_file(folder.path() / ("out-" + name)) == content);
        }
    }
}

TEST_CASE("PgpEncryptor streams through write() calls of any size and finishes its output")
{
    PgpFolder folder;
    MemorySink sink;
    auto encryptor = PgpEncryptor::create(to_agency(folder, PgpArmor::Binary), sink);
    REQUIRE(encryptor.ok());
    auto const content = make_content(2 * 1024 * 1024 + 3);
    std::size_t offset = 0;
    std::size_t piece = 1;
    while (offset < content.size()) {
        std::size_t const count = std::min(piece, content.size() - offset);
        REQUIRE(encryptor.value()->write(std::string_view(content).substr(offset, count)).ok());
        offset += count;
        piece = piece * 3 + 1; // 1, 4, 13, ... up to beyond the 1 MiB ring
    }
    REQUIRE(encryptor.value()->finish().ok());
    CHECK(sink.finished);
    CHECK(encryptor.value()->write(std::string_view("late")).is_error());

    write_file(folder / "message.pgp", sink.data);
    MemorySink plain;
    auto const report = pgp_decrypt(as_agency(folder, RequireSignature::Yes), folder / "message.pgp", plain);
    REQUIRE(report.ok());
    CHECK(plain.data == content);
}

TEST_CASE("an unsigned message is refused when a signature is required, and nothing is published")
{
    PgpFolder folder;
    auto options = to_agency(folder, PgpArmor::Armored);
    options.signing_secret_key.reset();
    write_file(folder / "plain.csv", "account_ref\nA1\n");
    REQUIRE(pgp_encrypt_file(options, folder / "plain.csv", folder / "unsigned.asc").ok());

    auto const refused = pgp_decrypt_file(as_agency(folder, RequireSignature::Yes), folder / "unsigned.asc", folder / "out.csv");
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::SignatureInvalid);
    CHECK_THAT(refused.error().to_text(), Catch::Contains("not signed"));
    CHECK_FALSE(std::filesystem::exists(folder / "out.csv"));
    CHECK(std::distance(std::filesystem::directory_iterator(folder.path()), {}) == 6); // no temp file left

    auto const accepted = pgp_decrypt_file(as_agency(folder, RequireSignature::No), folder / "unsigned.asc", folder / "out.csv");
    REQUIRE(accepted.ok());
    CHECK(accepted.value().signature == PgpSignatureStatus::Missing);
    CHECK(read_file(folder / "out.csv") == "account_ref\nA1\n");
}

TEST_CASE("a message signed by a key other than the sender's is refused")
{
    PgpFolder folder;
    auto options = to_agency(folder, PgpArmor::Binary);
    options.signing_secret_key = folder / "example-agency.pgp-secret.asc"; // not the creditor
    write_file(folder / "plain.csv", "x");
    REQUIRE(pgp_encrypt_file(options, folder / "plain.csv", folder / "other-signer.pgp").ok());
    auto const refused = pgp_decrypt_file(as_agency(folder, RequireSignature::Yes), folder / "other-signer.pgp", folder / "out.csv");
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::SignatureInvalid);
    CHECK_THAT(refused.error().to_text(), Catch::Contains("not by the sender's key"));
    CHECK_FALSE(std::filesystem::exists(folder / "out.csv"));
}

TEST_CASE("tampered ciphertext is refused and nothing is published")
{
    PgpFolder folder;
    auto const content = make_content(200000);
    write_file(folder / "plain.bin", content);
    REQUIRE(pgp_encrypt_file(to_agency(folder, PgpArmor::Binary), folder / "plain.bin", folder / "cipher.pgp").ok());
    auto const ciphertext = read_file(folder / "cipher.pgp");
    for (std::size_t const position : { ciphertext.size() / 2, ciphertext.size() - 5 }) {
        INFO("flipped byte at " << position << " of " << ciphertext.size());
        auto tampered = ciphertext;
        tampered[position] ^= 0x01;
        write_file(folder / "tampered.pgp", tampered);
        for (auto const require : { RequireSignature::Yes, RequireSignature::No }) {
            auto const refused = pgp_decrypt_file(as_agency(folder, require), folder / "tampered.pgp", folder / "out.bin");
            REQUIRE(refused.is_error());
            INFO(refused.error().to_text());
            CHECK(refused.error().code() == base::ErrorCode::PayloadCorrupt);
            CHECK_FALSE(std::filesystem::exists(folder / "out.bin"));
        }
    }
    write_file(folder / "truncated.pgp", ciphertext.substr(0, ciphertext.size() - 100));
    CHECK(pgp_decrypt_file(as_agency(folder, RequireSignature::No), folder / "truncated.pgp", folder / "out.bin").is_error());
    CHECK_FALSE(std::filesystem::exists(folder / "out.bin"));
}

TEST_CASE("a message for another recipient is NoMatchingIdentity")
{
    PgpFolder folder;
    PgpEncryptOptions options;
    options.recipient_public_key = folder / "creditor.pgp-public.asc";
    write_file(folder / "plain.csv", "x");
    REQUIRE(pgp_encrypt_file(options, folder / "plain.csv", folder / "for-creditor.asc").ok());
    auto const refused = pgp_decrypt_file(as_agency(folder, RequireSignature::No), folder / "for-creditor.asc", folder / "out.csv");
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::NoMatchingIdentity);
}

TEST_CASE("OpenPGP secret keys that others can read, and non-key files, are refused")
{
    PgpFolder folder;
    write_file(folder / "plain.csv", "x");
    REQUIRE(::chmod((folder / "creditor.pgp-secret.asc").c_str(), 0644) == 0);
    auto const open = pgp_encrypt_file(to_agency(folder, PgpArmor::Armored), folder / "plain.csv", folder / "c.asc");
    REQUIRE(open.is_error());
    CHECK(open.error().code() == base::ErrorCode::PermissionsTooOpen);
    CHECK_THAT(open.error().to_text(), Catch::Contains("chmod 600"));
    CHECK_FALSE(std::filesystem::exists(folder / "c.asc"));

    PgpEncryptOptions garbage;
    garbage.recipient_public_key = folder / "plain.csv";
    auto const not_a_key = pgp_encrypt_file(garbage, folder / "plain.csv", folder / "c.asc");
    REQUIRE(not_a_key.is_error());
    CHECK(not_a_key.error().code() == base::ErrorCode::KeyInvalid);
}

TEST_CASE("a failing output sink fails the encryption; an abandoned encryptor cleans up")
{
    PgpFolder folder;
    {
        FailingSink failing;
        auto encryptor = PgpEncryptor::create(to_agency(folder, PgpArmor::Binary), failing);
        REQUIRE(encryptor.ok());
        auto const content = make_content(4 * 1024 * 1024);
        auto written = encryptor.value()->write(content);
        auto result = written.ok() ? encryptor.value()->finish() : std::move(written);
        REQUIRE(result.is_error());
        CHECK_THAT(result.error().to_text(), Catch::Contains("disk full (test)"));
    }
    {
        MemorySink sink;
        auto encryptor = PgpEncryptor::create(to_agency(folder, PgpArmor::Binary), sink);
        REQUIRE(encryptor.ok());
        REQUIRE(encryptor.value()->write(make_content(100)).ok());
        // Destroyed without finish(): must join its worker and not hang or leak.
    }
}
