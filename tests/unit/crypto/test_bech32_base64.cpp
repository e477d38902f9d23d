// Bech32 (BIP 173 vectors) and the strict base64 codec the age format relies on.
#include "gateway/crypto/base64.hpp"
#include "gateway/crypto/bech32.hpp"

#include <catch2/catch.hpp>

using namespace dcagw::crypto;

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text)
{
    return { text.begin(), text.end() };
}

} // namespace

TEST_CASE("Bech32 accepts the BIP 173 valid strings and re-encodes them")
{
    for (std::string_view const text : { "A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
             "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl" }) {
        INFO(text);
        auto const decoded = decode_bech32(text);
        REQUIRE(decoded.has_value());
        CHECK(encode_bech32(decoded->human_readable_part, decoded->data, decoded->text_case) == text);
    }
}

TEST_CASE("Bech32 refuses bad checksums, mixed case, Bech32m and bad padding")
{
    CHECK_FALSE(decode_bech32("A1G7SGD8").has_value());  // checksum made over the upper-case hrp
    CHECK_FALSE(decode_bech32("10a06t8").has_value());   // empty hrp
    CHECK_FALSE(decode_bech32("1qzzfhee").has_value());  // empty hrp
    CHECK_FALSE(decode_bech32("A12UEl5L").has_value());  // mixed case
    CHECK_FALSE(decode_bech32("a12uel5m").has_value());  // one character changed
    CHECK_FALSE(decode_bech32("A1LQFN3A").has_value());  // a valid Bech32m string
    CHECK_FALSE(decode_bech32("abc1b4n0q5v").has_value()); // invalid character 'b'
    CHECK_FALSE(decode_bech32(std::string(300, 'q')).has_value());
    // Five 5-bit groups carry 25 bits: one group too many for three bytes of padding.
    auto const padded = encode_bech32("x", bytes_of("abc"), Bech32Case::Lower);
    REQUIRE(decode_bech32(padded).has_value());
    CHECK(decode_bech32(padded)->data == bytes_of("abc"));
}

TEST_CASE("Bech32 round-trips arbitrary data in both cases")
{
    std::vector<std::uint8_t> data;
    for (int index = 0; index < 40; ++index) {
        auto const lower = encode_bech32("age", data, Bech32Case::Lower);
        auto const upper = encode_bech32("AGE-SECRET-KEY-", data, Bech32Case::Upper);
        auto const decoded_lower = decode_bech32(lower);
        auto const decoded_upper = decode_bech32(upper);
        REQUIRE(decoded_lower.has_value());
        REQUIRE(decoded_upper.has_value());
        CHECK(decoded_lower->data == data);
        CHECK(decoded_upper->data == data);
        CHECK(decoded_upper->human_readable_part == "AGE-SECRET-KEY-");
        CHECK(decoded_upper->text_case == Bech32Case::Upper);
        data.push_back(static_cast<std::uint8_t>(index * 37 + 11));
    }
}

TEST_CASE("base64 matches RFC 4648 in padded and unpadded form")
{
    std::pair<std::string_view, std::string_view> const vectors[] = {
        { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" }, { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
    };
    for (auto const& [plain, encoded] : vectors) {
        CHECK(encode_base64(bytes_of(plain), Base64Padding::Yes) == encoded);
        std::string unpadded(encoded);
        while (!unpadded.empty() && unpadded.back() == '=')
            unpadded.pop_back();
        CHECK(encode_base64(bytes_of(plain), Base64Padding::No) == unpadded);
        CHECK(decode_base64(encoded, Base64Padding::Yes) == bytes_of(plain));
        CHECK(decode_base64(unpadded, Base64Padding::No) == bytes_of(plain));
    }
}

TEST_CASE("base64 refuses non-canonical and malformed text")
{
    CHECK_FALSE(decode_base64("Zh", Base64Padding::No).has_value());    // trailing bits set
    CHECK_FALSE(decode_base64("Zm9=", Base64Padding::Yes).has_value()); // trailing bits set
    CHECK_FALSE(decode_base64("Zg==", Base64Padding::No).has_value());  // padding where none is allowed
    CHECK_FALSE(decode_base64("Zg", Base64Padding::Yes).has_value());   // padding missing
    CHECK_FALSE(decode_base64("Z", Base64Padding::No).has_value());     // impossible length
    CHECK_FALSE(decode_base64("Zg=", Base64Padding::Yes).has_value());
    CHECK_FALSE(decode_base64("Z===", Base64Padding::Yes).has_value());
    CHECK_FALSE(decode_base64("====", Base64Padding::Yes).has_value());
    CHECK_FALSE(decode_base64("Zm 9v", Base64Padding::No).has_value());
    CHECK_FALSE(decode_base64("Zm9v\n", Base64Padding::No).has_value());
    CHECK_FALSE(decode_base64("Zm-_", Base64Padding::No).has_value()); // URL alphabet
    CHECK_FALSE(decode_base64("Zg==Zg==", Base64Padding::Yes).has_value());
}
