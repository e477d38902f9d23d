// For fuzz targets whose parser reads a file: one private folder per process (removed at
// exit), and the input written to a file in it with the permissions the reader demands
// (secret files must be owner-only).
#pragma once

#include "tests/support/temporary_folder.hpp"

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace dcagw::fuzz {

class FuzzFolder {
public:
    std::filesystem::path const& path() const { return m_folder.path(); }

    // Writes `bytes` to `name` in the folder (replacing it), mode 0600, and returns its path.
    std::filesystem::path write(std::string const& name, std::string_view bytes) const
    {
        auto const file = m_folder / name;
        {
            std::ofstream stream(file, std::ios::binary | std::ios::trunc);
            stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            if (!stream)
                std::abort();
        }
        ::chmod(file.c_str(), 0600);
        return file;
    }

private:
    test::TemporaryFolder m_folder { "fuzz" };
};

// The process's folder, made on first use.
inline FuzzFolder const& fuzz_folder()
{
    static FuzzFolder const folder;
    return folder;
}

inline std::string_view as_text(std::uint8_t const* data, std::size_t size)
{
    return { reinterpret_cast<char const*>(data), size };
}

inline void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

} // namespace dcagw::fuzz
