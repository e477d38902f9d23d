// Fuzz target: config/mapping_reader, an agency's mapping file (layout, columns,
// transforms, file name pattern), from memory. Every problem found has a reason.
#include "gateway/config/config_reader.hpp"
#include "gateway/config/mapping_reader.hpp"

#include "fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    model::Mapping mapping;
    std::vector<config::ConfigProblem> problems;
    config::detail::check_mapping_text(fuzz::as_text(data, size), "mapping.json", mapping, problems);
    for (auto const& problem : problems)
        fuzz::require(problem.file == "mapping.json" && !problem.reason.empty());
    return 0;
}
