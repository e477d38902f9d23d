#include "gateway/crypto/password.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace dcagw;

TEST_CASE("a password hash is argon2id, salted, and verifies only the same password")
{
    auto const first = crypto::hash_password("correct horse battery");
    auto const second = crypto::hash_password("correct horse battery");
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(first.value().starts_with("$argon2id$v=19$m=65536,t=2,p=1$"));
    CHECK(first.value() != second.value()); // a fresh salt each time
    CHECK(crypto::password_matches(first.value(), "correct horse battery"));
    CHECK_FALSE(crypto::password_matches(first.value(), "correct horse batterx"));
    CHECK_FALSE(crypto::password_matches(first.value(), ""));
    CHECK_FALSE(crypto::password_matches("not a hash", "correct horse battery"));
    CHECK_FALSE(crypto::password_needs_rehash(first.value()));
}

TEST_CASE("short and oversized passwords are refused before hashing")
{
    auto const short_one = crypto::hash_password("elevenchars");
    REQUIRE(short_one.is_error());
    CHECK(short_one.error().code() == base::ErrorCode::Usage);
    CHECK(short_one.error().message() == "a password needs at least 12 characters");
    CHECK(crypto::hash_password(std::string(1025, 'x')).is_error());
}

TEST_CASE("a hash made with weaker limits asks to be redone")
{
    // Made by crypto_pwhash_str_alg with libsodium's minimum limits (1 pass, 8 KiB), as an
    // old or foreign hash might have: a real hash (it verifies), only weaker.
    std::string const weak = "$argon2id$v=19$m=8,t=1,p=1$v00dLbXiWRCaqSk60F/97Q$rC0Ln2PYeXhoDPZiYBb26UD9eT7RPbuJUc0Tx2fzetc";
    CHECK(crypto::password_matches(weak, "correct horse battery"));
    CHECK(crypto::password_needs_rehash(weak));
}

TEST_CASE("tokens are 256 random bits in URL-safe base64, compared in constant time")
{
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto const token = crypto::random_token();
        CHECK(token.size() == 43);
        CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
        seen.insert(token);
    }
    CHECK(seen.size() == 100);
    auto const token = crypto::random_token();
    CHECK(crypto::tokens_equal(token, token));
    CHECK_FALSE(crypto::tokens_equal(token, token.substr(1)));
    CHECK_FALSE(crypto::tokens_equal(token, crypto::random_token()));
    CHECK(crypto::tokens_equal("", ""));
}
