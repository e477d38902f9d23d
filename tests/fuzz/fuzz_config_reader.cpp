// Fuzz target: config/config_reader, the gateway configuration file (config.json) and
// whatever it names that the check reads (mappings; secret files only by their status).
// Every problem found names the file it is about.
#include "gateway/config/config_reader.hpp"

#include "fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    auto const file = fuzz::fuzz_folder().write("config.json", fuzz::as_text(data, size));
    for (auto const& problem : config::check_config(file))
        fuzz::require(!problem.file.empty() && !problem.reason.empty());
    return 0;
}
