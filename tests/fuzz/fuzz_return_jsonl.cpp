// Fuzz target: the JSON Lines return reader (layouts/return_jsonl) over arbitrary bytes;
// the layouts and properties are in return_reader_fuzz.hpp, the same as fuzz_return_csv.
// Lines start at 1 (there is no header).
#include "return_reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    return return_fuzz::fuzz_return_reader(dcagw::model::ReturnFormat::JsonLines, 1, "fuzz.jsonl", data, size);
}
