// Fuzz target: store/field_list, the field names of a field set read back from the state
// database (a damaged or edited database is outside data). A list that parses encodes back
// to a list that parses to the same names.
#include "gateway/store/field_list.hpp"

#include "fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    auto const parsed = store::detail::parse_field_list(fuzz::as_text(data, size));
    if (parsed.ok()) {
        auto const encoded = store::detail::encode_field_list(parsed.value());
        if (encoded.ok()) {
            auto const again = store::detail::parse_field_list(encoded.value());
            fuzz::require(again.ok() && again.value() == parsed.value());
        }
    }
    return 0;
}
