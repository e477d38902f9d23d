// Shared helpers of the transport integration tests: the servers run_with_servers.sh
// started (read from the environment), local files, a string sink, stopping a server
// mid-transfer.
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/transport/session.hpp"
#include "tests/support/string_sink.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace dcagw::test {

inline std::string server_env(char const* name)
{
    char const* value = std::getenv(name);
    if (!value)
        FAIL("environment variable " << name << " is not set: run this program through tests/integration/servers/run_with_servers.sh");
    return value;
}

inline std::string read_whole(std::filesystem::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_whole(std::filesystem::path const& path, std::string const& content)
{
    std::ofstream(path, std::ios::binary) << content;
}

// A local file of `size` bytes of a repeating pattern, in the test state folder.
inline std::filesystem::path make_local_file(std::string const& name, std::uint64_t size)
{
    auto path = std::filesystem::path(server_env("DCAGW_TEST_STATE")) / name;
    std::ofstream out(path, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (std::size_t index = 0; index < block.size(); ++index)
        block[index] = static_cast<char>('a' + index % 26);
    for (std::uint64_t left = size; left > 0;) {
        auto piece = std::min<std::uint64_t>(left, block.size());
        out.write(block.data(), static_cast<std::streamsize>(piece));
        left -= piece;
    }
    return path;
}

// A session to a test server, or the test fails with the error's text.
inline std::unique_ptr<transport::Session> open_session(model::TransportProfile const& profile)
{
    auto session = transport::connect(profile);
    if (session.is_error())
        FAIL(session.error().to_text());
    return session.release_value();
}

// The error connect() must fail with, checked to have the expected code.
inline base::Error connect_error(model::TransportProfile const& profile, base::ErrorCode expected)
{
    auto session = transport::connect(profile);
    REQUIRE(session.is_error());
    CHECK(session.error().code() == expected);
    return session.release_error();
}

// A file the agency left on its server (written as root, readable by the server's user).
inline void agency_file(std::filesystem::path const& folder, std::string const& name, std::string const& content)
{
    auto path = folder / name;
    write_whole(path, content);
    std::filesystem::permissions(path, std::filesystem::perms(0644));
}

// Runs "<DCAGW_SERVERS>/<script> <action> <DCAGW_TEST_STATE>/<state> [<which>]" (which:
// one of the servers a script runs, e.g. "apache").
inline void server_control(std::string const& script, std::string const& action, std::string const& state, std::string const& which = "")
{
    auto command = server_env("DCAGW_SERVERS") + "/" + script + " " + action + " " + server_env("DCAGW_TEST_STATE") + "/" + state
        + (which.empty() ? "" : " " + which) + " >/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
}

// Stops a server (by its script) as soon as any file in `watched` has grown past
// `threshold` bytes: the upload is then cut off in the middle.
class StopWhenGrown {
public:
    StopWhenGrown(std::filesystem::path watched, std::uint64_t threshold, std::string script, std::string state, std::string which = "")
        : m_thread([=, this] {
            auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            while (!m_done && std::chrono::steady_clock::now() < deadline) {
                std::error_code error;
                for (auto const& entry : std::filesystem::directory_iterator(watched, error)) {
                    if (entry.is_regular_file(error) && entry.file_size(error) > threshold) {
                        auto command = server_env("DCAGW_SERVERS") + "/" + script + " stop " + server_env("DCAGW_TEST_STATE")
                            + "/" + state + (which.empty() ? "" : " " + which) + " >/dev/null";
                        m_stopped = std::system(command.c_str()) == 0;
                        return;
                    }
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        })
    {
    }
    ~StopWhenGrown()
    {
        m_done = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    bool stopped()
    {
        m_done = true;
        if (m_thread.joinable())
            m_thread.join();
        return m_stopped;
    }

private:
    std::atomic<bool> m_done { false };
    std::atomic<bool> m_stopped { false };
    std::thread m_thread;
};

} // namespace dcagw::test

// REQUIRE that a Result holds a value, showing the error's text when it does not.
#define REQUIRE_OK(result)                                                               \
    do {                                                                                 \
        if ((result).is_error())                                                         \
            FAIL((result).error().to_text());                                            \
    } while (false)
