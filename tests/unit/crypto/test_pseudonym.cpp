#include "gateway/crypto/key_file.hpp"
#include "gateway/crypto/pseudonym.hpp"

#include "tests/support/temporary_folder.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

PseudonymKey key_from_counting_bytes(std::uint8_t start)
{
    std::array<std::uint8_t, 32> key {};
    for (std::size_t index = 0; index < key.size(); ++index)
        key[index] = static_cast<std::uint8_t>(start + index);
    auto pseudonym_key = PseudonymKey::from_secret(key);
    REQUIRE(pseudonym_key.ok());
    return pseudonym_key.release_value();
}

std::string pseudonym_of(PseudonymKey const& key, std::string_view input, std::string_view domain = "account_ref")
{
    std::string out;
    key.append_pseudonym(out, domain, input);
    return out;
}

} // namespace

TEST_CASE("pseudonyms match an independent BLAKE2b implementation (known answers)")
{
    // Expected values from Python: "P" + base32(hashlib.blake2b(domain + b"\0" + input,
    // key=bytes(range(32)), digest_size=32).digest()[:15]).
    auto const key = key_from_counting_bytes(0);
    CHECK(pseudonym_of(key, "ACC-0001", "account_ref") == "PMHMYPZFS7CTMWTZDVKBLANPU");
    CHECK(pseudonym_of(key, "ACC-0001", "person_ref") == "PAZHRZRGA6DXJOIOBE67YHZ7O");
    CHECK(pseudonym_of(key, "person-42", "person_ref") == "PLVKSMDQSICCMM3YOS4OMMWHP");
    CHECK(pseudonym_of(key, "ACC-0001\x1fperson-42", "account_ref\x1fperson_ref") == "PA7AR7GIF3RDAEUFRKUPM7RO2");
    // The key id: hashlib.blake2b(b"\0dcagw-pseudonym-key-id-v1", key=bytes(range(32)), ...).
    CHECK(key.key_id() == "P7UBERC766XSX2LTM7ADJKMWF");
}

TEST_CASE("the same value in two fields gets two unrelated pseudonyms")
{
    auto const key = key_from_counting_bytes(0);
    CHECK(pseudonym_of(key, "12345", "account_ref") != pseudonym_of(key, "12345", "person_ref"));
    CHECK(pseudonym_of(key, "12345", "account_ref") == pseudonym_of(key, "12345", "account_ref"));
    // The NUL between domain and value keeps a shifted boundary from colliding.
    CHECK(pseudonym_of(key, "ref", "account_") != pseudonym_of(key, "_ref", "account"));
}

TEST_CASE("pseudonyms append, are 25 characters, stable, and differ per key")
{
    auto const key_a = key_from_counting_bytes(0);
    auto const key_b = key_from_counting_bytes(1);
    std::string out = "ref=";
    key_a.append_pseudonym(out, "account_ref", "ACC-0001");
    CHECK(out == "ref=PMHMYPZFS7CTMWTZDVKBLANPU");

    auto const first = pseudonym_of(key_a, "ACC-0001");
    CHECK(first.size() == PseudonymKey::pseudonym_length);
    CHECK(first.front() == 'P');
    CHECK(first.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 1) == std::string::npos);
    CHECK(pseudonym_of(key_a, "ACC-0001") == first);
    CHECK(pseudonym_of(key_b, "ACC-0001") != first);
    CHECK(pseudonym_of(key_a, "ACC-0002") != first);
}

TEST_CASE("pseudonyms are stable across loads of the same key file and differ between files")
{
    test::TemporaryFolder folder("pseudonym");
    REQUIRE(generate_pseudonym_key_file(folder.path() / "ophelos.pseudonym.key").ok());
    REQUIRE(generate_pseudonym_key_file(folder.path() / "indebted.pseudonym.key").ok());
    auto ophelos_1 = PseudonymKey::load(folder.path() / "ophelos.pseudonym.key");
    auto ophelos_2 = PseudonymKey::load(folder.path() / "ophelos.pseudonym.key");
    auto indebted = PseudonymKey::load(folder.path() / "indebted.pseudonym.key");
    REQUIRE(ophelos_1.ok());
    REQUIRE(ophelos_2.ok());
    REQUIRE(indebted.ok());
    CHECK(pseudonym_of(ophelos_1.value(), "PERSON-1") == pseudonym_of(ophelos_2.value(), "PERSON-1"));
    CHECK(pseudonym_of(ophelos_1.value(), "PERSON-1") != pseudonym_of(indebted.value(), "PERSON-1"));
}

TEST_CASE("a pseudonym key with the wrong size or open permissions is refused")
{
    std::array<std::uint8_t, 16> short_key {};
    auto refused = PseudonymKey::from_secret(short_key);
    REQUIRE(refused.is_error());
    CHECK(refused.error().code() == base::ErrorCode::KeyInvalid);

    test::TemporaryFolder folder("pseudonym");
    auto const path = folder.path() / "agency.pseudonym.key";
    REQUIRE(generate_pseudonym_key_file(path).ok());
    std::filesystem::permissions(path, std::filesystem::perms::group_read, std::filesystem::perm_options::add);
    auto open = PseudonymKey::load(path);
    REQUIRE(open.is_error());
    CHECK(open.error().code() == base::ErrorCode::PermissionsTooOpen);
}

TEST_CASE("no collisions among 100,000 sequential references; 1M calls timed")
{
    auto const key = key_from_counting_bytes(7);
    std::set<std::string> seen;
    std::string input;
    for (int index = 0; index < 100000; ++index) {
        input = "ACC-" + std::to_string(index);
        CHECK(seen.insert(pseudonym_of(key, input)).second);
    }

    // The hot path: one output string reused, as minimise does per record.
    std::string out;
    out.reserve(64);
    char reference[32];
    auto const start = std::chrono::steady_clock::now();
    for (int index = 0; index < 1000000; ++index) {
        int const length = std::snprintf(reference, sizeof reference, "ACC-%07d", index);
        out.clear();
        key.append_pseudonym(out, "account_ref", std::string_view(reference, static_cast<std::size_t>(length)));
    }
    auto const elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    WARN("1,000,000 pseudonyms in " << elapsed << " s (" << elapsed * 1000 << " ns per call)");
    CHECK(out.size() == PseudonymKey::pseudonym_length);
}
