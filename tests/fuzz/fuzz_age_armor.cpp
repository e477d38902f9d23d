// Fuzz target: the age ASCII armor (and the binary file inside it) through AgeDecryptor (age_decryptor_fuzz.hpp).
#include "age_decryptor_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    return fuzz_age_decryptor(dcagw::crypto::AgeInput::Armored, data, size);
}
