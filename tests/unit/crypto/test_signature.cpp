#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/key_file.hpp"
#include "gateway/crypto/signature.hpp"
#include "tests/support/signing_keys.hpp"

#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

std::vector<std::uint8_t> from_hex(std::string_view hex)
{
    REQUIRE(hex.size() % 2 == 0);
    std::vector<std::uint8_t> bytes;
    for (std::size_t index = 0; index < hex.size(); index += 2)
        bytes.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(index, 2)), nullptr, 16)));
    return bytes;
}

struct Vector {
    std::string name;
    std::map<std::string, std::string> header;
    std::string body;
};

std::vector<Vector> load_vectors()
{
    std::vector<Vector> vectors;
    std::filesystem::path const folder = std::filesystem::path(DCAGW_SOURCE_DIR) / "tests/vectors/signatures";
    for (auto const& entry : std::filesystem::directory_iterator(folder)) {
        auto const name = entry.path().filename().string();
        if (name.find('.') != std::string::npos)
            continue; // README.md, make_vectors.py
        auto text = base::read_file_limited(entry.path(), 1 << 20);
        REQUIRE(text.ok());
        auto const separator = text.value().find("\n\n");
        REQUIRE(separator != std::string::npos);
        Vector vector { name, {}, text.value().substr(separator + 2) };
        for (auto const line : base::split(std::string_view(text.value()).substr(0, separator), '\n')) {
            auto const colon = line.find(": ");
            REQUIRE(colon != std::string_view::npos);
            vector.header[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 2));
        }
        vectors.push_back(std::move(vector));
    }
    return vectors;
}

std::span<std::uint8_t const> bytes_of(std::string const& text)
{
    return { reinterpret_cast<std::uint8_t const*>(text.data()), text.size() };
}

} // namespace

TEST_CASE("signature known-answer vectors (generated independently with Python)")
{
    auto const vectors = load_vectors();
    REQUIRE(vectors.size() >= 10);
    std::map<std::string, std::string> const reason_for {
        { "wrong key", "signed by a different key" },
        { "signature bad", "does not verify" },
        { "content changed", "content changed since it was signed" },
        { "malformed", "" },
    };
    for (auto const& vector : vectors) {
        INFO("vector " << vector.name << ": " << vector.header.at("comment"));
        auto const expected_key = Ed25519PublicKey::parse(vector.header.at("verify-key"));
        REQUIRE(expected_key.ok());
        auto const content = from_hex(vector.header.at("content"));
        auto const result = verify_bytes(expected_key.value(), content, vector.body);
        auto const& expect = vector.header.at("expect");
        if (expect == "success") {
            CHECK(result.ok());
            auto const seed = from_hex(vector.header.at("seed"));
            auto const key = Ed25519SigningKey::from_seed(seed);
            REQUIRE(key.ok());
            CHECK(key.value().public_key() == expected_key.value());
            auto const signature = sign_bytes(key.value(), content);
            REQUIRE(signature.ok());
            CHECK(signature.value() == vector.body);
        } else {
            REQUIRE(result.is_error());
            CHECK(result.error().code() == base::ErrorCode::SignatureInvalid);
            REQUIRE(reason_for.count(expect) == 1);
            CHECK_THAT(result.error().message(), Catch::Contains(reason_for.at(expect)));
        }
    }
}

TEST_CASE("file signatures stream large files and agree with byte-string signatures")
{
    test::TemporaryFolder folder("signature");
    auto const key = test::signing_key_from_seed_byte(0x11);
    std::string content;
    for (int index = 0; index < 3 * 1024 * 1024 + 17; ++index)
        content.push_back(static_cast<char>(index * 31 % 251));
    auto const path = folder.path() / "placement.csv.age";
    std::ofstream(path, std::ios::binary) << content;

    auto const from_file = sign_file(key, path);
    auto const from_bytes = sign_bytes(key, bytes_of(content));
    REQUIRE(from_file.ok());
    REQUIRE(from_bytes.ok());
    CHECK(from_file.value() == from_bytes.value());
    CHECK(verify_file(key.public_key(), path, from_file.value()).ok());

    // Tamper: one byte in the middle of the file.
    content[2 * 1024 * 1024] ^= 0x40;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    auto const tampered = verify_file(key.public_key(), path, from_file.value());
    REQUIRE(tampered.is_error());
    CHECK(tampered.error().code() == base::ErrorCode::SignatureInvalid);
    CHECK_THAT(tampered.error().to_text(), Catch::Contains("content changed since it was signed"));
    CHECK_THAT(tampered.error().to_text(), Catch::Contains(path.string()));
}

TEST_CASE("every single-character change to a signature text is rejected")
{
    auto const key = test::signing_key_from_seed_byte(0x22);
    std::string const content = "audit checkpoint 42\n";
    auto const signature = sign_bytes(key, bytes_of(content));
    REQUIRE(signature.ok());
    REQUIRE(verify_bytes(key.public_key(), bytes_of(content), signature.value()).ok());
    for (std::size_t index = 0; index < signature.value().size(); ++index) {
        std::string changed = signature.value();
        changed[index] = changed[index] == 'A' ? 'B' : 'A';
        INFO("position " << index);
        auto const result = verify_bytes(key.public_key(), bytes_of(content), changed);
        REQUIRE(result.is_error());
        CHECK(result.error().code() == base::ErrorCode::SignatureInvalid);
    }
    CHECK(verify_bytes(key.public_key(), bytes_of(content), signature.value().substr(0, signature.value().size() - 1)).is_error());
    CHECK(verify_bytes(key.public_key(), bytes_of(content), "").is_error());
    CHECK(verify_bytes(key.public_key(), bytes_of(content), std::string(5000, 'x')).is_error());
}

TEST_CASE("verification against another key says so")
{
    auto const signer = test::signing_key_from_seed_byte(0x33);
    auto const other = test::signing_key_from_seed_byte(0x44);
    std::string const content = "x";
    auto const signature = sign_bytes(signer, bytes_of(content));
    REQUIRE(signature.ok());
    auto const result = verify_bytes(other.public_key(), bytes_of(content), signature.value());
    REQUIRE(result.is_error());
    CHECK_THAT(result.error().message(), Catch::Contains("signed by a different key"));
}

TEST_CASE("public key text round-trips and is parsed strictly")
{
    auto const key = test::signing_key_from_seed_byte(0x55);
    auto const text = key.public_key().to_text();
    CHECK(text.rfind("dcagw-ed25519-public-1", 0) == 0);
    CHECK(text.size() == 22 + 44);
    auto const parsed = Ed25519PublicKey::parse(text);
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == key.public_key());
    CHECK(Ed25519PublicKey::parse(text + " ").is_error());
    CHECK(Ed25519PublicKey::parse(text.substr(1)).is_error());
    CHECK(Ed25519PublicKey::parse(text.substr(0, text.size() - 4)).is_error());
    CHECK(Ed25519PublicKey::parse("").is_error());
}

TEST_CASE("a byte outside the base64 alphabet is refused in keys and signatures (found by fuzz_signature)")
{
    // libsodium's decoder took 0xAD for an alphabet character: one key had two spellings.
    CHECK(Ed25519PublicKey::parse("dcagw-ed25519-public-1IVL40Zt5HSRFMk\xADhXy6rbLfP+ntqXtMAl5YOBpiB2xI=").is_error());
    auto const key = test::signing_key_from_seed_byte(0x66);
    std::string const content = "content";
    auto signature = sign_bytes(key, bytes_of(content));
    REQUIRE(signature.ok());
    std::string text = signature.value();
    auto const at = text.find("signature: ") + 11;
    for (int byte = 0x80; byte <= 0xFF; ++byte) {
        std::string altered = text;
        altered[at + 5] = static_cast<char>(byte);
        INFO(byte);
        CHECK(verify_bytes(key.public_key(), bytes_of(content), altered).is_error());
        CHECK(parse_signature_text(altered).is_error());
    }
}

TEST_CASE("sign_file_to and verify_file_from work over key files and never overwrite")
{
    test::TemporaryFolder folder("signature");
    auto const secret_path = folder.path() / "creditor-signing.ed25519.key";
    REQUIRE(generate_secret_key_file(secret_path, SecretKeyType::Ed25519).ok());
    auto const key = Ed25519SigningKey::load(secret_path);
    REQUIRE(key.ok());
    auto const public_path = folder.path() / "creditor-signing.ed25519.pub";
    std::ofstream(public_path) << "# dcagw ed25519 public key\n" << key.value().public_key().to_text() << "\n";

    auto const content_path = folder.path() / "pack.zip";
    std::ofstream(content_path, std::ios::binary) << "evidence";
    auto const signature_path = folder.path() / "pack.zip.sig";
    REQUIRE(sign_file_to(secret_path, content_path, signature_path).ok());
    CHECK(verify_file_from(public_path, content_path, signature_path).ok());
    auto const again = sign_file_to(secret_path, content_path, signature_path);
    REQUIRE(again.is_error());
    CHECK(again.error().code() == base::ErrorCode::AlreadyExists);

    std::ofstream(content_path, std::ios::binary | std::ios::app) << "!";
    auto const changed = verify_file_from(public_path, content_path, signature_path);
    REQUIRE(changed.is_error());
    CHECK(changed.error().code() == base::ErrorCode::SignatureInvalid);

    std::filesystem::permissions(secret_path, std::filesystem::perms::others_read, std::filesystem::perm_options::add);
    auto const open = sign_file_to(secret_path, content_path, folder.path() / "other.sig");
    REQUIRE(open.is_error());
    CHECK(open.error().code() == base::ErrorCode::PermissionsTooOpen);
}
