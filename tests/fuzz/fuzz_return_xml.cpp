// Fuzz target: the XML return reader (layouts/return_xml over cases/xml_records) over
// arbitrary bytes; the layouts and properties are in return_reader_fuzz.hpp, the same as
// fuzz_return_csv (the root is <R>, the record <L>, the payment and payout ids attributes).
// Line numbers start at 1 (a record can start on the first line).
#include "return_reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    return return_fuzz::fuzz_return_reader(dcagw::model::ReturnFormat::Xml, 1, "fuzz.xml", data, size);
}
