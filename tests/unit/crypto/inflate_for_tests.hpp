// tests/unit/crypto/inflate_for_tests: a small zlib (RFC 1950) / DEFLATE (RFC 1951)
// decoder, for the compressed vectors of the age testkit only.
//
// Owns: decompressing test data. zlib is not an allowed dependency of the gateway, so
// this lives in the tests and nowhere else.
// Must never: be linked into the gateway itself (it is written for clarity, not speed or
// hostile input, although it does bound its output and check every read).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace dcagw::tests {

// Decodes a zlib stream (header, raw DEFLATE data, Adler-32 check); nullopt on any error
// or when the output would exceed max_output bytes.
std::optional<std::vector<std::uint8_t>> zlib_decompress(std::span<std::uint8_t const> input, std::size_t max_output);

} // namespace dcagw::tests
