// Test helper: a fresh workspace holding the bundled example (docs/example/gateway.json
// with its paths pointing into the workspace, cases.csv, and private 0600 copies of the
// example keys in <work>/keys), as the CLI scenarios and the real-server CLI tests use it.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace dcagw::test {

inline std::string read_text(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    std::stringstream buffer;
    buffer << file.rdbuf();
    return buffer.str();
}

inline void replace_all(std::string& text, std::string const& from, std::string const& to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// Makes `work` (emptied first) the example's workspace; source is the repository.
inline void make_example_workspace(std::filesystem::path const& source, std::filesystem::path const& work)
{
    namespace fs = std::filesystem;
    fs::remove_all(work);
    fs::create_directories(work / "keys");
    for (auto const& entry : fs::directory_iterator(source / "keys-example")) {
        auto const target = work / "keys" / entry.path().filename();
        fs::copy_file(entry.path(), target);
        fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write);
    }
    fs::copy_file(source / "docs/example/cases.csv", work / "cases.csv");
    auto config = read_text(source / "docs/example/gateway.json");
    replace_all(config, "../../keys-example/", (work / "keys").string() + "/");
    replace_all(config, "../../mappings/", (source / "mappings").string() + "/");
    std::ofstream(work / "gateway.json") << config;
}

} // namespace dcagw::test
