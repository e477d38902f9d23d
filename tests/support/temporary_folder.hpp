// Test helper: a private temporary folder (mode 0700, from mkdtemp under the system's
// temporary directory), removed with everything in it when the fixture goes away. The one
// fixture every test that needs a scratch folder uses, and the fuzz targets that read
// files (so it needs no test framework: a folder that cannot be made throws).
#pragma once

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace dcagw::test {

class TemporaryFolder {
public:
    // `prefix` names the folder (dcagw-<prefix>-XXXXXX), so a leftover says whose it was.
    explicit TemporaryFolder(std::string_view prefix = "test")
    {
        std::string pattern = (std::filesystem::temp_directory_path() / ("dcagw-" + std::string(prefix) + "-XXXXXX")).string();
        char* created = ::mkdtemp(pattern.data());
        if (created == nullptr)
            throw std::system_error(errno, std::generic_category(), "cannot make a temporary folder " + pattern);
        m_path = created;
    }
    ~TemporaryFolder()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TemporaryFolder(TemporaryFolder const&) = delete;
    TemporaryFolder& operator=(TemporaryFolder const&) = delete;

    std::filesystem::path const& path() const { return m_path; }
    std::filesystem::path operator/(std::filesystem::path const& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

} // namespace dcagw::test
