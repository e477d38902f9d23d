// age keys, streaming round trips, failure kinds and decrypt_file_to's atomicity.
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/hash.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sys/stat.h>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

constexpr std::string_view testkit_identity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
constexpr std::string_view testkit_recipient = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef";

class MemorySink final : public base::ByteSink {
public:
    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override
    {
        data.insert(data.end(), bytes.begin(), bytes.end());
        ++writes;
        return {};
    }
    base::Result<void> finish() override
    {
        finished = true;
        return {};
    }
    std::vector<std::uint8_t> data;
    std::size_t writes { 0 };
    bool finished { false };
};

std::vector<std::uint8_t> random_bytes(std::size_t size, unsigned seed)
{
    std::mt19937 generator(seed);
    std::vector<std::uint8_t> bytes(size);
    for (auto& byte : bytes)
        byte = static_cast<std::uint8_t>(generator());
    return bytes;
}

std::vector<std::uint8_t> encrypt(std::vector<std::uint8_t> const& plaintext, std::vector<AgeRecipient> const& recipients, Armor armor, std::size_t piece)
{
    MemorySink sink;
    auto encryptor = AgeEncryptor::create(recipients, sink, armor);
    REQUIRE(encryptor.ok());
    for (std::size_t offset = 0; offset < plaintext.size(); offset += piece)
        REQUIRE(encryptor.value()->write(std::span(plaintext).subspan(offset, std::min(piece, plaintext.size() - offset))).ok());
    REQUIRE(encryptor.value()->finish().ok());
    CHECK(sink.finished);
    return sink.data;
}

base::Result<std::vector<std::uint8_t>> decrypt(std::vector<std::uint8_t> const& ciphertext, std::vector<AgeIdentity> const& identities, std::size_t piece, MemorySink* released = nullptr)
{
    MemorySink local;
    MemorySink& sink = released != nullptr ? *released : local;
    auto decryptor = TRY(AgeDecryptor::create(identities, sink));
    for (std::size_t offset = 0; offset < ciphertext.size(); offset += piece)
        TRY(decryptor->write(std::span(ciphertext).subspan(offset, std::min(piece, ciphertext.size() - offset))));
    TRY(decryptor->finish());
    return sink.data;
}

std::vector<AgeIdentity> one_identity(AgeIdentity identity)
{
    std::vector<AgeIdentity> identities;
    identities.push_back(std::move(identity));
    return identities;
}

std::filesystem::path scratch_folder()
{
    auto const folder = std::filesystem::temp_directory_path() / ("dcagw-age-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    return folder;
}

} // namespace

TEST_CASE("age recipients and identities parse strictly and agree with age-keygen")
{
    auto identity = AgeIdentity::parse(testkit_identity);
    REQUIRE(identity.ok());
    CHECK(identity.value().recipient().to_string() == testkit_recipient);
    CHECK(identity.value().secret_key_text() == testkit_identity);
    auto recipient = AgeRecipient::parse(testkit_recipient);
    REQUIRE(recipient.ok());
    CHECK(recipient.value() == identity.value().recipient());

    std::string upper_recipient(testkit_recipient);
    for (auto& character : upper_recipient)
        character = static_cast<char>(std::toupper(static_cast<unsigned char>(character)));
    CHECK(AgeRecipient::parse(upper_recipient).error().code() == base::ErrorCode::KeyInvalid);
    std::string lower_identity(testkit_identity);
    for (auto& character : lower_identity)
        character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
    CHECK(AgeIdentity::parse(lower_identity).error().code() == base::ErrorCode::KeyInvalid);
    std::string broken(testkit_recipient);
    broken[10] = broken[10] == 'q' ? 'p' : 'q';
    CHECK(AgeRecipient::parse(broken).error().code() == base::ErrorCode::KeyInvalid);
    CHECK(AgeRecipient::parse(testkit_identity).is_error());
    CHECK(AgeIdentity::parse(testkit_recipient).is_error());
    CHECK(AgeRecipient::parse("").is_error());
}

TEST_CASE("identity files hold comments and several identities; errors never echo key text")
{
    auto const generated = generate_age_identity_file_text();
    CHECK(generated.recipient.starts_with("age1"));
    CHECK(generated.identity_file_text.find("# public key: " + generated.recipient + "\n") != std::string::npos);
    std::string const text = generated.identity_file_text + "\n# another\n" + std::string(testkit_identity) + "\r\n";
    auto identities = AgeIdentity::parse_file_text(text);
    REQUIRE(identities.ok());
    REQUIRE(identities.value().size() == 2);
    CHECK(identities.value()[0].recipient().to_string() == generated.recipient);
    CHECK(identities.value()[1].recipient().to_string() == testkit_recipient);

    std::string const bad = "# comment\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n";
    auto const refused = AgeIdentity::parse_file_text(bad);
    REQUIRE(refused.is_error());
    CHECK(refused.error().to_text().find("line 2") != std::string::npos);
    CHECK(refused.error().to_text().find("QQQQ") == std::string::npos);
    CHECK(AgeIdentity::parse_file_text("# only a comment\n").is_error());
}

TEST_CASE("identity files readable by others are refused")
{
    auto const folder = scratch_folder();
    auto const path = folder / "identity.txt";
    std::filesystem::remove(path);
    {
        std::ofstream out(path);
        out << generate_age_identity_file_text().identity_file_text;
    }
    ::chmod(path.c_str(), 0644);
    CHECK(AgeIdentity::load_file(path).error().code() == base::ErrorCode::PermissionsTooOpen);
    ::chmod(path.c_str(), 0600);
    auto const loaded = AgeIdentity::load_file(path);
    REQUIRE(loaded.ok());
    CHECK(loaded.value().size() == 1);
    std::filesystem::remove_all(folder);
}

TEST_CASE("encryption round-trips at chunk boundaries, armored or not, with several recipients")
{
    auto first = AgeIdentity::generate();
    auto second = AgeIdentity::generate();
    std::vector<AgeRecipient> const recipients { first.recipient(), second.recipient() };
    for (std::size_t const size : { std::size_t(0), std::size_t(1), std::size_t(65535), std::size_t(65536), std::size_t(65537), std::size_t(3 * 65536 + 5) }) {
        for (Armor const armor : { Armor::No, Armor::Yes }) {
            INFO("size " << size << " armor " << (armor == Armor::Yes));
            auto const plaintext = random_bytes(size, static_cast<unsigned>(size));
            auto const ciphertext = encrypt(plaintext, recipients, armor, 1000);
            if (armor == Armor::Yes)
                CHECK(std::string_view(reinterpret_cast<char const*>(ciphertext.data()), 34) == "-----BEGIN AGE ENCRYPTED FILE-----");
            for (std::size_t const piece : { std::size_t(1) << 20, std::size_t(4099) }) {
                auto const identities = one_identity(AgeIdentity::parse(piece == 4099 ? second.secret_key_text() : first.secret_key_text()).release_value());
                auto const decrypted = decrypt(ciphertext, identities, piece);
                REQUIRE(decrypted.ok());
                CHECK(decrypted.value() == plaintext);
            }
            auto const stranger = one_identity(AgeIdentity::generate());
            CHECK(decrypt(ciphertext, stranger, 1 << 20).error().code() == base::ErrorCode::NoMatchingIdentity);
        }
    }
}

TEST_CASE("failure kinds stay distinct and nothing unauthenticated is released")
{
    auto identity = AgeIdentity::generate();
    std::vector<AgeRecipient> const recipients { identity.recipient() };
    auto const identities = one_identity(AgeIdentity::parse(identity.secret_key_text()).release_value());
    auto const plaintext = random_bytes(200000, 7);
    auto const ciphertext = encrypt(plaintext, recipients, Armor::No, 1 << 20);
    std::string_view const text(reinterpret_cast<char const*>(ciphertext.data()), ciphertext.size());
    std::size_t const mac_line = text.find("\n--- ") + 1;
    std::size_t const payload_start = text.find('\n', mac_line) + 1;

    SECTION("truncation at every chunk boundary is a payload failure")
    {
        for (std::size_t const cut : { payload_start + 16, payload_start + 16 + 65552, payload_start + 16 + 2 * 65552, ciphertext.size() - 1 }) {
            std::vector<std::uint8_t> truncated(ciphertext.begin(), ciphertext.begin() + static_cast<std::ptrdiff_t>(cut));
            MemorySink released;
            auto const result = decrypt(truncated, identities, 1 << 20, &released);
            REQUIRE(result.is_error());
            CHECK(result.error().code() == base::ErrorCode::PayloadCorrupt);
            CHECK(released.data.size() % 65536 == 0); // only whole authenticated chunks
            CHECK(std::equal(released.data.begin(), released.data.end(), plaintext.begin()));
        }
    }
    SECTION("a flipped payload bit withholds that chunk")
    {
        auto altered = ciphertext;
        altered[payload_start + 16 + 65552 + 100] ^= 1;
        MemorySink released;
        auto const result = decrypt(altered, identities, 1 << 20, &released);
        CHECK(result.error().code() == base::ErrorCode::PayloadCorrupt);
        CHECK(released.data.size() == 65536);
    }
    SECTION("an altered header is an HMAC failure, a broken one a header failure")
    {
        auto altered = ciphertext;
        // Change the MAC's first character to another valid one.
        altered[mac_line + 4] = altered[mac_line + 4] == 'A' ? 'B' : 'A';
        CHECK(decrypt(altered, identities, 1 << 20).error().code() == base::ErrorCode::HeaderMacMismatch);
        auto broken = ciphertext;
        broken[mac_line + 3] = '\t';
        CHECK(decrypt(broken, identities, 1 << 20).error().code() == base::ErrorCode::HeaderInvalid);
        std::vector<std::uint8_t> no_nonce(ciphertext.begin(), ciphertext.begin() + static_cast<std::ptrdiff_t>(payload_start + 10));
        CHECK(decrypt(no_nonce, identities, 1 << 20).error().code() == base::ErrorCode::HeaderInvalid);
    }
    SECTION("headers beyond the size limit are refused early")
    {
        std::string huge = "age-encryption.org/v1\n";
        while (huge.size() <= age_max_header_bytes)
            huge += "-> grease " + std::string(40, 'x') + "\n\n";
        std::vector<std::uint8_t> bytes(huge.begin(), huge.end());
        CHECK(decrypt(bytes, identities, 1 << 20).error().code() == base::ErrorCode::HeaderInvalid);
    }
    SECTION("a failed decryptor keeps failing")
    {
        MemorySink sink;
        auto decryptor = AgeDecryptor::create(identities, sink).release_value();
        CHECK(decryptor->write(std::string_view("age-encryption.org/v2\n--- x\n")).error().code() == base::ErrorCode::HeaderInvalid);
        CHECK(decryptor->write(std::string_view("more")).error().code() == base::ErrorCode::HeaderInvalid);
        CHECK(decryptor->finish().error().code() == base::ErrorCode::HeaderInvalid);
        CHECK_FALSE(sink.finished);
    }
}

TEST_CASE("decrypt_file_to publishes only a fully authenticated file")
{
    auto identity = AgeIdentity::generate();
    std::vector<AgeRecipient> const recipients { identity.recipient() };
    auto const identities = one_identity(AgeIdentity::parse(identity.secret_key_text()).release_value());
    auto const folder = scratch_folder();
    auto const plain = folder / "plain.bin", sealed = folder / "sealed.age", opened = folder / "opened.bin", truncated = folder / "truncated.age";
    for (auto const& path : { plain, sealed, opened, truncated })
        std::filesystem::remove(path);
    auto const plaintext = random_bytes(300000, 3);
    {
        std::ofstream out(plain, std::ios::binary);
        out.write(reinterpret_cast<char const*>(plaintext.data()), static_cast<std::streamsize>(plaintext.size()));
    }
    REQUIRE(encrypt_file_to(plain, recipients, sealed, Armor::No).ok());
    REQUIRE(decrypt_file_to(sealed, identities, opened).ok());
    CHECK(std::filesystem::file_size(opened) == plaintext.size());
    CHECK(decrypt_file_to(sealed, identities, opened).error().code() == base::ErrorCode::AlreadyExists);

    std::filesystem::copy_file(sealed, truncated);
    std::filesystem::resize_file(truncated, std::filesystem::file_size(sealed) - 1);
    auto const result = decrypt_file_to(truncated, identities, folder / "never.bin");
    CHECK(result.error().code() == base::ErrorCode::PayloadCorrupt);
    CHECK_FALSE(std::filesystem::exists(folder / "never.bin"));
    std::size_t leftovers = 0;
    for (auto const& entry : std::filesystem::directory_iterator(folder))
        leftovers += entry.path().filename().string().starts_with(".never.bin") ? 1 : 0;
    CHECK(leftovers == 0);
    std::filesystem::remove_all(folder);
}

TEST_CASE("HashingSink hashes what passes through")
{
    MemorySink downstream;
    HashingSink hashing(downstream);
    REQUIRE(hashing.write(std::string_view("ab")).ok());
    REQUIRE(hashing.write(std::string_view("c")).ok());
    REQUIRE(hashing.finish().ok());
    CHECK(digest_hex(hashing.digest()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(downstream.data.size() == 3);
    CHECK(downstream.finished);
    CHECK(hashing.byte_count() == 3);
}
