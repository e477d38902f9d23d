// Fuzz target: transport/host_key, the pinned host-key fingerprints from configuration
// and the base64 key of a known_hosts line. A canonical fingerprint is canonical again.
#include "gateway/transport/host_key.hpp"

#include "fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    std::string_view const text = fuzz::as_text(data, size);
    if (auto canonical = transport::canonical_fingerprint(text); canonical.has_value())
        fuzz::require(transport::canonical_fingerprint(*canonical) == canonical);
    if (auto fingerprint = transport::openssh_fingerprint_of_base64(text); fingerprint.has_value())
        fuzz::require(transport::canonical_fingerprint(*fingerprint) == fingerprint);
    return 0;
}
