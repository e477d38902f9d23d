// Fuzz target: the CSV return file reader (layouts/return_reader) over arbitrary bytes;
// the layouts and properties are in return_reader_fuzz.hpp. Lines start at 2, after the
// header row.
#include "return_reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    return return_fuzz::fuzz_return_reader(dcagw::model::ReturnFormat::Csv, 2, "fuzz.csv", data, size);
}
