// Fuzz target: a binary age file (header, nonce, STREAM payload) through AgeDecryptor (age_decryptor_fuzz.hpp).
#include "age_decryptor_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    return fuzz_age_decryptor(dcagw::crypto::AgeInput::Binary, data, size);
}
