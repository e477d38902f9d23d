#include "gateway/base/file.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/key_file_generate.hpp"
#include "gateway/crypto/pseudonym.hpp"
#include "gateway/crypto/signature.hpp"

#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/stat.h>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

mode_t mode_of(std::filesystem::path const& path)
{
    struct stat status {};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    return status.st_mode & 0777;
}

std::filesystem::path private_copy_of_example(test::TemporaryFolder const& folder, char const* name)
{
    auto const target = folder.path() / name;
    std::filesystem::copy_file(std::filesystem::path(DCAGW_SOURCE_DIR) / "keys-example" / name, target);
    REQUIRE(::chmod(target.c_str(), 0600) == 0);
    return target;
}

} // namespace

TEST_CASE("generate_key writes 0600 secret files and returns the public half")
{
    test::TemporaryFolder folder("generate");
    auto const ed25519 = generate_key(GeneratedKeyType::Ed25519, folder.path() / "s.ed25519.key");
    REQUIRE(ed25519.ok());
    CHECK(mode_of(folder.path() / "s.ed25519.key") == 0600);
    auto const loaded = Ed25519SigningKey::load(folder.path() / "s.ed25519.key");
    REQUIRE(loaded.ok());
    CHECK(loaded.value().public_key().to_text() == ed25519.value());
    REQUIRE(write_ed25519_public_key_file(folder.path() / "s.ed25519.pub", ed25519.value()).ok());
    auto const public_key = Ed25519PublicKey::load(folder.path() / "s.ed25519.pub");
    REQUIRE(public_key.ok());
    CHECK(public_key.value() == loaded.value().public_key());

    auto const pseudonym = generate_key(GeneratedKeyType::Pseudonym, folder.path() / "a.pseudonym.key");
    REQUIRE(pseudonym.ok());
    CHECK(pseudonym.value().empty());
    CHECK(mode_of(folder.path() / "a.pseudonym.key") == 0600);
    CHECK(PseudonymKey::load(folder.path() / "a.pseudonym.key").ok());

    auto const age = generate_key(GeneratedKeyType::Age, folder.path() / "a.age-identity.key");
    REQUIRE(age.ok());
    CHECK(age.value().rfind("age1", 0) == 0);
    CHECK(mode_of(folder.path() / "a.age-identity.key") == 0600);

    for (auto const type : { GeneratedKeyType::Age, GeneratedKeyType::Ed25519, GeneratedKeyType::Pseudonym }) {
        auto const again = generate_key(type, folder.path() / "a.pseudonym.key");
        REQUIRE(again.is_error());
        CHECK(again.error().code() == base::ErrorCode::AlreadyExists);
    }
}

TEST_CASE("key type names parse strictly")
{
    CHECK(parse_generated_key_type("age").value() == GeneratedKeyType::Age);
    CHECK(parse_generated_key_type("ed25519").value() == GeneratedKeyType::Ed25519);
    CHECK(parse_generated_key_type("pseudonym").value() == GeneratedKeyType::Pseudonym);
    CHECK(parse_generated_key_type("Ed25519").is_error());
    CHECK(parse_generated_key_type("").is_error());
}

TEST_CASE("the committed example keys are consistent with each other")
{
    test::TemporaryFolder folder("generate");
    auto const signing = Ed25519SigningKey::load(private_copy_of_example(folder, "creditor-signing.ed25519.key"));
    REQUIRE(signing.ok());
    auto const published = Ed25519PublicKey::load(std::filesystem::path(DCAGW_SOURCE_DIR) / "keys-example/creditor-signing.ed25519.pub");
    REQUIRE(published.ok());
    CHECK(signing.value().public_key() == published.value());

    std::string first;
    for (auto const* agency : { "example-agency.pseudonym.key", "ophelos.pseudonym.key", "indebted.pseudonym.key" }) {
        auto const key = PseudonymKey::load(private_copy_of_example(folder, agency));
        REQUIRE(key.ok());
        std::string pseudonym;
        key.value().append_pseudonym(pseudonym, "person_ref", "PERSON-1");
        CHECK(pseudonym != first);
        first = pseudonym;
    }
}
