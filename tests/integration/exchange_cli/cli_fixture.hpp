// Shared helpers of the real-server CLI tests: the `dcagw` binary run in a workspace (its
// output captured, optionally killed with SIGKILL after a delay), a workspace holding the
// bundled example with its agency's transport replaced, folders on the servers that
// run_with_servers.sh started, and what a server folder holds.
#pragma once

#include "gateway/crypto/hash.hpp"
#include "tests/support/example_workspace.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <optional>
#include <pwd.h>
#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dcagw::test {

namespace fs = std::filesystem;

inline std::string server_env(char const* name)
{
    char const* value = std::getenv(name);
    if (!value)
        FAIL("environment variable " << name << " is not set: run this program through tests/integration/servers/run_with_servers.sh");
    return value;
}

struct Outcome {
    int exit_code { -1 };  // -1 when killed
    bool killed { false };
    std::string out;
    std::string err;
};

inline std::ostream& operator<<(std::ostream& stream, Outcome const& outcome)
{
    return stream << "exit " << outcome.exit_code << (outcome.killed ? " (killed)" : "") << "\nstdout:\n" << outcome.out << "\nstderr:\n" << outcome.err;
}

// Runs `dcagw ARGUMENTS...` in `work`; with kill_after, sends SIGKILL once that much time
// has passed if it is still running.
inline Outcome run_dcagw(fs::path const& work, std::vector<std::string> const& arguments,
    std::optional<std::chrono::microseconds> kill_after = std::nullopt)
{
    auto const out_path = work / "dcagw.stdout";
    auto const err_path = work / "dcagw.stderr";
    std::vector<std::string> words { DCAGW_BINARY };
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& word : words)
        argv.push_back(word.data());
    argv.push_back(nullptr);
    auto const start = std::chrono::steady_clock::now();
    pid_t const pid = ::fork();
    if (pid == 0) { // the child: nothing but system calls until exec
        int const out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int const err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || err < 0 || ::chdir(work.c_str()) != 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0)
            ::_exit(126);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    REQUIRE(pid > 0);
    int status = 0;
    Outcome outcome;
    if (kill_after) {
        while (::waitpid(pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() - start >= *kill_after) {
                ::kill(pid, SIGKILL);
                REQUIRE(::waitpid(pid, &status, 0) == pid);
                break;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    } else {
        REQUIRE(::waitpid(pid, &status, 0) == pid);
    }
    outcome.killed = WIFSIGNALED(status);
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    outcome.out = read_text(out_path);
    outcome.err = read_text(err_path);
    return outcome;
}

// A folder on a server, created (with its parents inside `root`) and handed to the user
// the server writes as, so the agency's side may read, write and rename in it.
inline fs::path server_folder(fs::path const& root, std::string const& relative, std::string const& owner)
{
    auto const folder = root / relative;
    fs::create_directories(folder);
    auto const* account = ::getpwnam(owner.c_str());
    REQUIRE(account != nullptr);
    for (auto path = folder; path != root; path = path.parent_path())
        REQUIRE(::chown(path.c_str(), account->pw_uid, account->pw_gid) == 0);
    return folder;
}

// A file the agency left on its server, owned by the server's user.
inline void agency_file(fs::path const& path, std::string const& content, std::string const& owner)
{
    std::ofstream(path, std::ios::binary) << content;
    fs::permissions(path, fs::perms(0644));
    auto const* account = ::getpwnam(owner.c_str());
    REQUIRE(account != nullptr);
    REQUIRE(::chown(path.c_str(), account->pw_uid, account->pw_gid) == 0);
}

// Every entry of a folder (hidden ones included) and the SHA-256 of each regular file.
inline std::map<std::string, std::string> folder_hashes(fs::path const& folder)
{
    std::map<std::string, std::string> hashes;
    for (auto const& entry : fs::directory_iterator(folder)) {
        if (!entry.is_regular_file()) {
            hashes[entry.path().filename().string()] = "(not a regular file)";
            continue;
        }
        auto const digest = crypto::sha256_of_file(entry.path());
        REQUIRE(digest.ok());
        hashes[entry.path().filename().string()] = crypto::digest_hex(digest.value());
    }
    return hashes;
}

// The bundled example in `work`, with the agency's "transport" object replaced by
// `transport` (JSON). The example's own transport object has no nested object.
inline void make_workspace(fs::path const& work, std::string const& transport)
{
    make_example_workspace(DCAGW_SOURCE_DIR, work);
    auto config = read_text(work / "gateway.json");
    auto const start = config.find("\"transport\": {");
    REQUIRE(start != std::string::npos);
    auto const end = config.find('}', start);
    REQUIRE(end != std::string::npos);
    config.replace(start, end + 1 - start, "\"transport\": " + transport);
    // These tests collect a bare `.ack` (no signature) over the real servers: the agency
    // is authenticated by the transport alone (the pinned host key, mutual TLS), which
    // the example's returns section must then say (issue 14 item 1).
    auto const signed_returns = config.find("\"require_signature\": true");
    REQUIRE(signed_returns != std::string::npos);
    config.replace(signed_returns, std::string_view("\"require_signature\": true").size(), "\"require_signature\": false");
    // ... and a signature key that is never required proves nothing, so config check refuses it.
    auto const keys = config.find("\"signature_keys\": [");
    REQUIRE(keys != std::string::npos);
    auto const keys_end = config.find("],", keys);
    REQUIRE(keys_end != std::string::npos);
    config.erase(keys, keys_end + 2 - keys);
    std::ofstream(work / "gateway.json") << config;
}

// Folder and retry settings for an agency whose server folders live under `folder`:
// retries kept short so failing runs end quickly.
inline std::string folders_and_retries(std::string const& folder)
{
    return R"("upload_directory": ")" + folder + R"(/incoming", "collect_directory": ")" + folder + R"(/outgoing",
      "archive_directory": ")" + folder + R"(/outgoing/archive", "after_collect": "archive",
      "acknowledgement_required": true, "acknowledgement_suffix": ".ack", "acknowledgement_due_hours": 24,
      "connect_timeout_seconds": 10, "transfer_timeout_seconds": 60,
      "max_attempts": 2, "backoff_initial_milliseconds": 10, "backoff_max_milliseconds": 50)";
}

// The SFTP agency of the harness's sshd; host_key_sha256 pins its key unless told otherwise.
inline std::string sftp_transport(std::string const& folder, std::optional<std::string> host_key = std::nullopt)
{
    return R"({"kind": "sftp", "sftp": {"host": "127.0.0.1", "port": )" + server_env("SFTP_PORT") + R"(, "user": ")" + server_env("SFTP_USER")
        + R"(", "private_key": ")" + server_env("SFTP_KEY") + R"(", "host_key_sha256": ")" + host_key.value_or(server_env("SFTP_HOST_KEY_SHA256"))
        + R"("}, )" + folders_and_retries(folder) + "}";
}

// The HTTPS agency of the harness's nginx: the listener that requires a client
// certificate, the server verified against the test CA (or `ca_file`).
inline std::string https_transport(std::string const& folder, std::optional<std::string> ca_file = std::nullopt)
{
    return R"({"kind": "https", "https": {"base_url": "https://127.0.0.1:)" + server_env("HTTPS_MTLS_PORT") + R"(/dca/", "ca_file": ")"
        + ca_file.value_or(server_env("HTTPS_CA")) + R"(", "client_certificate": ")" + server_env("HTTPS_CLIENT_CERT") + R"(", "client_key": ")"
        + server_env("HTTPS_CLIENT_KEY") + R"("}, )" + folders_and_retries(folder) + "}";
}

// A fresh workspace under the harness's state folder (removed with it).
inline fs::path workspace(std::string const& name, std::string const& transport)
{
    auto const work = fs::path(server_env("DCAGW_TEST_STATE")) / ("work-" + name);
    make_workspace(work, transport);
    return work;
}

// The files `dcagw place` spooled for the example agency: name -> SHA-256.
inline std::map<std::string, std::string> spooled_files(fs::path const& work)
{
    std::map<std::string, std::string> files;
    for (auto const& [name, hash] : folder_hashes(work / "state/spool/example-agency"))
        if (!name.starts_with("."))
            files[name] = hash;
    return files;
}

// Places the bundled example's cases (some rows are rejected on purpose: exit 1).
inline std::map<std::string, std::string> place_example(fs::path const& work)
{
    auto const placed = run_dcagw(work, { "place", "--config", "gateway.json", "--as-of", "2026-11-23" });
    INFO(placed);
    REQUIRE((placed.exit_code == 0 || placed.exit_code == 1));
    auto files = spooled_files(work);
    REQUIRE_FALSE(files.empty());
    return files;
}

// The JSON object of `transfers list --format json` that describes `file`.
inline std::string transfer_json(std::string const& listing, std::string const& file)
{
    auto const at = listing.find("\"file\": \"" + file + "\"");
    if (at == std::string::npos)
        return {};
    auto const begin = listing.rfind('{', at);
    auto const end = listing.find('}', at);
    return listing.substr(begin, end + 1 - begin);
}

} // namespace dcagw::test
