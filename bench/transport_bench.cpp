// transport_bench: uploading one large file to a real server on loopback with the gateway's
// transport (libcurl) next to the reference client on the same file, same server, same
// run: SFTP against OpenSSH's `sftp -b`, HTTPS PUT against `curl -T`.
//
// Run through the test harness, which starts sshd and nginx and sets their variables:
//   tests/integration/servers/run_with_servers.sh build/bench/transport_bench [size_in_MiB] [rounds]
// (or `cmake --build build --target bench_transport`). Defaults: 1024 MiB, 3 rounds; the
// best time of each contender is reported, with the ratio reference / ours.
#include "gateway/transport/session.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace dcagw;

namespace {

using Clock = std::chrono::steady_clock;

std::string env(char const* name)
{
    char const* value = std::getenv(name);
    if (!value) {
        std::fprintf(stderr, "transport_bench: %s is not set; run me through run_with_servers.sh\n", name);
        std::exit(2);
    }
    return value;
}

double timed_command(std::string const& command)
{
    auto start = Clock::now();
    if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "transport_bench: failed: %s\n", command.c_str());
        std::exit(1);
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double timed_publish(model::TransportProfile const& profile, std::filesystem::path const& file, std::string const& name)
{
    auto start = Clock::now();
    auto session = transport::connect(profile);
    if (session.is_error()) {
        std::fprintf(stderr, "transport_bench: %s\n", session.error().to_text().c_str());
        std::exit(1);
    }
    auto published = session.value()->publish(file, name, "." + name + ".part");
    if (published.is_error()) {
        std::fprintf(stderr, "transport_bench: %s\n", published.error().to_text().c_str());
        std::exit(1);
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void report(char const* what, std::vector<double> const& reference, std::vector<double> const& ours,
    std::uint64_t bytes)
{
    auto best_reference = *std::min_element(reference.begin(), reference.end());
    auto best_ours = *std::min_element(ours.begin(), ours.end());
    auto mib = static_cast<double>(bytes) / (1 << 20);
    std::printf("%-6s reference %.2f s (%.0f MiB/s)  dcagw %.2f s (%.0f MiB/s)  ratio %.0f%%  [rounds:", what,
        best_reference, mib / best_reference, best_ours, mib / best_ours, 100.0 * best_reference / best_ours);
    for (std::size_t index = 0; index < ours.size(); ++index)
        std::printf(" %.2f/%.2f", reference[index], ours[index]);
    std::printf("]\n");
}

} // namespace

int main(int argc, char** argv)
{
    std::uint64_t const mebibytes = argc > 1 ? std::stoull(argv[1]) : 1024;
    int const rounds = argc > 2 ? std::stoi(argv[2]) : 3;
    auto const state = std::filesystem::path(env("DCAGW_TEST_STATE"));
    auto const file = state / "bench.bin";
    {
        std::ofstream out(file, std::ios::binary);
        std::vector<char> block(1 << 20);
        std::uint32_t seed = 12345;
        for (std::uint64_t index = 0; index < mebibytes; ++index) {
            for (auto& byte : block) {
                seed = seed * 1664525u + 1013904223u;
                byte = static_cast<char>(seed >> 24);
            }
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
        }
    }
    auto const bytes = std::filesystem::file_size(file);

    model::TransportProfile sftp;
    sftp.kind = model::TransportKind::Sftp;
    sftp.sftp.host = "127.0.0.1";
    sftp.sftp.port = static_cast<std::uint16_t>(std::stoi(env("SFTP_PORT")));
    sftp.sftp.user = env("SFTP_USER");
    sftp.sftp.private_key = env("SFTP_KEY");
    sftp.sftp.host_key_sha256 = { env("SFTP_HOST_KEY_SHA256") };
    auto const sftp_root = std::filesystem::path(env("SFTP_ROOT"));
    auto const batch = state / "sftp.batch";
    std::ofstream(batch) << "put " << file.string() << " incoming/reference.bin\n";
    auto const sftp_command = "sftp -q -b " + batch.string() + " -i " + env("SFTP_KEY") + " -o UserKnownHostsFile="
        + env("SFTP_KNOWN_HOSTS") + " -o StrictHostKeyChecking=yes -P " + env("SFTP_PORT") + " " + env("SFTP_USER")
        + "@127.0.0.1 >/dev/null";

    model::TransportProfile https;
    https.kind = model::TransportKind::Https;
    https.https.base_url = "https://127.0.0.1:" + env("HTTPS_PORT") + "/dca/";
    https.https.ca_file = env("HTTPS_CA");
    https.https.bearer_token_file = env("HTTPS_TOKEN_FILE");
    auto const https_root = std::filesystem::path(env("HTTPS_ROOT"));
    std::string token;
    std::getline(std::ifstream(env("HTTPS_TOKEN_FILE")), token);
    auto const curl_command = "curl -sS --fail --cacert " + env("HTTPS_CA") + " -H 'Authorization: Bearer " + token
        + "' -T " + file.string() + " " + https.https.base_url + "incoming/reference.bin -o /dev/null";

    // Each measurement starts with the previous one's files deleted and written back
    // (sync, untimed), and the order alternates between rounds, so neither contender pays
    // for the other's dirty pages.
    auto settle = [&] {
        for (auto const& root : { sftp_root, https_root }) {
            std::filesystem::remove(root / "incoming/reference.bin");
            std::filesystem::remove(root / "incoming/dcagw.bin");
        }
        (void)std::system("sync");
    };
    std::vector<double> sftp_reference, sftp_ours, https_reference, https_ours;
    for (int round = 0; round < rounds; ++round) {
        bool const ours_first = round % 2 == 1;
        for (int turn = 0; turn < 2; ++turn) {
            settle();
            if ((turn == 0) == ours_first)
                sftp_ours.push_back(timed_publish(sftp, file, "dcagw.bin"));
            else
                sftp_reference.push_back(timed_command(sftp_command));
        }
        for (int turn = 0; turn < 2; ++turn) {
            settle();
            if ((turn == 0) == ours_first)
                https_ours.push_back(timed_publish(https, file, "dcagw.bin"));
            else
                https_reference.push_back(timed_command(curl_command));
        }
    }
    std::printf("upload of %llu MiB on loopback, best of %d rounds (reference/dcagw per round)\n",
        static_cast<unsigned long long>(mebibytes), rounds);
    report("SFTP", sftp_reference, sftp_ours, bytes);
    report("HTTPS", https_reference, https_ours, bytes);
    std::filesystem::remove(file);
    return 0;
}
