// Test helper: the Ed25519 signing keys the audit and signature tests use, so each test
// names its key instead of building one: a key from a fixed seed, and the repository's
// example creditor signing key (keys-example/), whose public half the audit vectors and
// docs/audit.md's examples are signed with.
#pragma once

#include "gateway/crypto/base64.hpp"
#include "gateway/crypto/signature.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace dcagw::test {

// The key whose 32-byte seed is `seed_byte` repeated: the same key in every run.
inline crypto::Ed25519SigningKey signing_key_from_seed_byte(std::uint8_t seed_byte)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(seed_byte);
    return crypto::Ed25519SigningKey::from_seed(seed).release_value();
}

// keys-example/creditor-signing.ed25519.key under `source_folder` (the repository).
// Read here rather than through Ed25519SigningKey::load, which demands mode 0600 of a
// file a checkout leaves 0644.
inline crypto::Ed25519SigningKey example_signing_key(std::filesystem::path const& source_folder)
{
    std::ifstream file(source_folder / "keys-example" / "creditor-signing.ed25519.key");
    std::string line;
    while (std::getline(file, line)) {
        constexpr std::string_view prefix = "DCAGW-ED25519-SECRET-KEY-1";
        if (!line.starts_with(prefix))
            continue;
        auto const seed = crypto::decode_base64(std::string_view(line).substr(prefix.size()), crypto::Base64Padding::Yes);
        if (seed) {
            auto key = crypto::Ed25519SigningKey::from_seed(*seed);
            if (key.ok())
                return key.release_value();
        }
        break;
    }
    std::fprintf(stderr, "no usable key line in the example signing key under %s\n", source_folder.c_str());
    std::abort();
}

} // namespace dcagw::test
