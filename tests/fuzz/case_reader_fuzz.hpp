// The body shared by the three case-export fuzz targets: arbitrary bytes through one
// reader, with small limits so every limit is reached, and a read-chunk size taken from
// the first byte so records straddle buffer refills at every offset.
#pragma once

#include "gateway/cases/case_reader.hpp"

#include <cstdint>
#include <string_view>

inline int fuzz_case_reader(dcagw::model::InputFormat format, std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    if (size == 0)
        return 0;
    std::size_t const chunk = data[0] % 17; // 0 = one read of everything
    std::string_view const bytes(reinterpret_cast<char const*>(data + 1), size - 1);
    model::InputLimits limits;
    limits.max_file_bytes = 1 << 20;
    limits.max_record_bytes = 512;
    limits.max_fields = 64;
    limits.max_field_bytes = 128;
    auto opened = cases::open_case_reader_from_memory(bytes, format, limits, "fuzz", chunk);
    if (opened.is_error())
        return 0;
    auto reader = opened.release_value();
    model::RawRecord record;
    model::Rejection rejection;
    for (std::size_t count = 0; count < 1000000; ++count) {
        auto next = reader->next(record, rejection);
        if (next.is_error() || next.value() == cases::ReadOutcome::End)
            break;
        if (next.value() == cases::ReadOutcome::Record) {
            // Touch every byte of every view, so a dangling view shows up under ASan.
            std::size_t total = 0;
            for (auto const value : record.values)
                for (char const byte : value)
                    total += static_cast<unsigned char>(byte);
            if (total == 1)
                return 0;
        }
    }
    return 0;
}
