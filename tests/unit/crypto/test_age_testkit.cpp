// Runs every vector of the C2SP age testkit (../shared/testdata/age-testkit, see its
// README.md) through AgeDecryptor and checks the outcome and the SHA-256 of all released
// plaintext. The X25519, STREAM, stanza, HMAC, header, version and armor families must
// match exactly; scrypt and ML-KEM hybrid recipients are not implemented, so those
// vectors must fail as unsupported or no-match (or with their own expected failure),
// never succeed.
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/hash.hpp"
#include "inflate_for_tests.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

std::filesystem::path const testkit_folder = std::filesystem::path(DCAGW_SHARED_DIR) / "testdata" / "age-testkit";

struct Vector {
    std::string name;
    std::string expect;
    std::string payload_sha256; // empty when not given
    std::vector<std::string> identities;
    bool has_passphrase { false };
    bool armored { false };
    bool compressed { false };
    bool unknown_key { false };
    std::vector<std::uint8_t> body;
};

Vector read_vector(std::filesystem::path const& path)
{
    std::ifstream stream(path, std::ios::binary);
    std::string const content((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    Vector vector;
    vector.name = path.filename().string();
    std::size_t position = 0;
    while (true) {
        std::size_t const end = content.find('\n', position);
        REQUIRE(end != std::string::npos);
        std::string const line = content.substr(position, end - position);
        position = end + 1;
        if (line.empty())
            break;
        std::size_t const colon = line.find(": ");
        REQUIRE(colon != std::string::npos);
        std::string const key = line.substr(0, colon), value = line.substr(colon + 2);
        if (key == "expect")
            vector.expect = value;
        else if (key == "payload")
            vector.payload_sha256 = value;
        else if (key == "identity")
            vector.identities.push_back(value);
        else if (key == "passphrase")
            vector.has_passphrase = true;
        else if (key == "armored")
            vector.armored = value == "yes";
        else if (key == "compressed") {
            REQUIRE(value == "zlib");
            vector.compressed = true;
        } else if (key != "file key" && key != "comment")
            vector.unknown_key = true;
    }
    vector.body.assign(content.begin() + static_cast<std::ptrdiff_t>(position), content.end());
    if (vector.compressed) {
        auto inflated = tests::zlib_decompress(vector.body, 256u << 20);
        REQUIRE(inflated.has_value());
        vector.body = std::move(*inflated);
    }
    return vector;
}

std::string outcome_name(base::ErrorCode code)
{
    switch (code) {
    case base::ErrorCode::HeaderInvalid: return "header failure";
    case base::ErrorCode::NoMatchingIdentity: return "no match";
    case base::ErrorCode::HeaderMacMismatch: return "HMAC failure";
    case base::ErrorCode::PayloadCorrupt: return "payload failure";
    case base::ErrorCode::ArmorInvalid: return "armor failure";
    case base::ErrorCode::UnsupportedRecipient: return "unsupported";
    default: return "other: " + std::string(base::to_string(code));
    }
}

struct Outcome {
    std::string kind;
    std::string released_sha256;
    std::string message;
};

// Feeds the file in pieces of `piece_size` bytes, so chunk and line boundaries fall
// everywhere relative to the writes.
Outcome run(Vector const& vector, std::vector<AgeIdentity> const& identities, AgeInput input, std::size_t piece_size)
{
    HashingSink released;
    auto decryptor = AgeDecryptor::create(identities, released, input);
    REQUIRE(decryptor.ok());
    base::Result<void> result;
    std::span<std::uint8_t const> rest(vector.body);
    while (!rest.empty() && result.ok()) {
        std::size_t const take = std::min(piece_size, rest.size());
        result = decryptor.value()->write(rest.first(take));
        rest = rest.subspan(take);
    }
    if (result.ok())
        result = decryptor.value()->finish();
    Outcome outcome;
    outcome.kind = result.ok() ? "success" : outcome_name(result.error().code());
    outcome.message = result.ok() ? "" : result.error().to_text();
    // The digest of everything released, also after a failure (the sink is not finished
    // by a failed decryptor, so finish it here).
    if (result.is_error())
        (void)released.finish();
    outcome.released_sha256 = digest_hex(released.digest());
    return outcome;
}

bool is_unsupported_family(Vector const& vector)
{
    bool const post_quantum_identity = std::any_of(vector.identities.begin(), vector.identities.end(),
        [](std::string const& identity) { return identity.starts_with("AGE-SECRET-KEY-PQ-"); });
    return vector.name.starts_with("scrypt") || vector.name.starts_with("hybrid") || vector.has_passphrase || post_quantum_identity;
}

} // namespace

TEST_CASE("every age testkit vector gives its expected outcome")
{
    REQUIRE(std::filesystem::is_directory(testkit_folder));
    std::vector<std::filesystem::path> paths;
    for (auto const& entry : std::filesystem::directory_iterator(testkit_folder)) {
        if (entry.path().filename() != "README.md")
            paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    REQUIRE(paths.size() == 143);

    std::size_t exact = 0, unsupported_as_expected = 0, compressed = 0, skipped = 0, payload_checked = 0;
    std::map<std::string, std::size_t> unsupported_outcomes;
    std::string header_failures;
    for (auto const& path : paths) {
        Vector const vector = read_vector(path);
        INFO("vector " << vector.name);
        if (vector.unknown_key) {
            ++skipped;
            continue;
        }
        compressed += vector.compressed ? 1 : 0;
        std::vector<AgeIdentity> identities;
        for (auto const& text : vector.identities) {
            auto identity = AgeIdentity::parse(text);
            if (identity.ok())
                identities.push_back(identity.release_value());
            else
                CHECK(text.starts_with("AGE-SECRET-KEY-PQ-")); // only post-quantum keys may be refused
        }

        AgeInput const explicit_input = vector.armored ? AgeInput::Armored : AgeInput::Binary;
        Outcome const whole = run(vector, identities, explicit_input, vector.body.size() + 1);
        INFO("outcome " << whole.kind << " (" << whole.message << ")");
        // The same result whatever the write sizes.
        for (std::size_t const piece : { std::size_t(1), std::size_t(997), std::size_t(65536 + 16 + 1) }) {
            if (piece == 1 && vector.body.size() > 200000)
                continue; // byte-at-a-time over megabytes only costs time
            Outcome const pieces = run(vector, identities, explicit_input, piece);
            CHECK(pieces.kind == whole.kind);
            CHECK(pieces.released_sha256 == whole.released_sha256);
        }
        // Format detection agrees, except that leading garbage makes a file not look
        // armored at all (so it is a header failure rather than an armor failure).
        Outcome const detected = run(vector, identities, AgeInput::Detect, vector.body.size() + 1);
        if (vector.name == "armor_garbage_leading")
            CHECK(detected.kind == "header failure");
        else
            CHECK(detected.kind == whole.kind);

        if (is_unsupported_family(vector)) {
            bool const acceptable = whole.kind == "unsupported" || whole.kind == "no match"
                || (vector.expect != "success" && whole.kind == vector.expect);
            CHECK(acceptable);
            CHECK(whole.kind != "success");
            CHECK(whole.released_sha256 == digest_hex(Sha256::digest(std::string_view())));
            ++unsupported_outcomes[vector.expect + " -> " + whole.kind];
            if (whole.kind == "header failure")
                header_failures += " " + vector.name;
            unsupported_as_expected += acceptable ? 1 : 0;
            continue;
        }
        CHECK(whole.kind == vector.expect);
        if (!vector.payload_sha256.empty()) {
            CHECK(whole.released_sha256 == vector.payload_sha256);
            ++payload_checked;
        }
        if (whole.kind == vector.expect && (vector.payload_sha256.empty() || whole.released_sha256 == vector.payload_sha256))
            ++exact;
    }
    std::printf("age testkit: %zu vectors (%zu zlib-compressed, %zu skipped for unknown keys): %zu core/armor vectors exact "
                "(%zu with payload hash checked), %zu scrypt/hybrid vectors refused as required\n",
        paths.size(), compressed, skipped, exact, payload_checked, unsupported_as_expected);
    for (auto const& [transition, count] : unsupported_outcomes)
        std::printf("  scrypt/hybrid expected %s: %zu\n", transition.c_str(), count);
    std::printf("  scrypt/hybrid vectors failing on their own header fault:%s\n", header_failures.c_str());
    CHECK(skipped == 0);
}
