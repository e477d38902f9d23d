// Fuzz target: the XML case export reader over arbitrary bytes (case_reader_fuzz.hpp).
#include "case_reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    return fuzz_case_reader(dcagw::model::InputFormat::Xml, data, size);
}
