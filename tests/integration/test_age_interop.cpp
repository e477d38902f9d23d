// Interoperability of crypto/age with the reference implementation's command-line tools
// (Debian's `age` and `age-keygen`), in both directions, at the chunk boundaries, with one
// and several recipients, armored and binary.
#include "gateway/crypto/age.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

using namespace dcagw;
using namespace dcagw::crypto;

namespace {

std::size_t const sizes[] = { 0, 1, 65535, 65536, 65537, 5 * 1000 * 1000 + 3 };

struct Scratch {
    std::filesystem::path folder;
    Scratch()
    {
        folder = std::filesystem::temp_directory_path() / ("dcagw-age-interop-" + std::to_string(::getpid()));
        std::filesystem::remove_all(folder);
        std::filesystem::create_directories(folder);
        std::filesystem::permissions(folder, std::filesystem::perms::owner_all);
    }
    ~Scratch() { std::filesystem::remove_all(folder); }
};

std::string quoted(std::filesystem::path const& path)
{
    return "'" + path.string() + "'";
}

int run(std::string const& command)
{
    INFO(command);
    return std::system((command + " 2>/dev/null").c_str());
}

std::vector<std::uint8_t> pattern(std::size_t size, unsigned seed)
{
    std::mt19937 generator(seed);
    std::vector<std::uint8_t> bytes(size);
    for (auto& byte : bytes)
        byte = static_cast<std::uint8_t>(generator());
    return bytes;
}

void write_file(std::filesystem::path const& path, std::span<std::uint8_t const> bytes, std::filesystem::perms mode)
{
    std::filesystem::remove(path);
    {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    std::filesystem::permissions(path, mode);
}

std::vector<std::uint8_t> read_file(std::filesystem::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

bool age_available()
{
    return std::system("age --version >/dev/null 2>&1") == 0 && std::system("age-keygen --version >/dev/null 2>&1") == 0;
}

} // namespace

TEST_CASE("files we encrypt open with age -d, and files age encrypts open with ours")
{
    REQUIRE(age_available());
    Scratch scratch;
    auto const& folder = scratch.folder;
    auto const perms_private = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

    // A key pair from age-keygen, and two of our own.
    auto const reference_key = folder / "reference-key.txt";
    REQUIRE(run("age-keygen -o " + quoted(reference_key)) == 0);
    ::chmod(reference_key.c_str(), 0600);
    auto reference_identities = AgeIdentity::load_file(reference_key);
    REQUIRE(reference_identities.ok());
    REQUIRE(reference_identities.value().size() == 1);
    AgeRecipient const reference_recipient = reference_identities.value()[0].recipient();

    auto const our_key_file = folder / "our-key.txt";
    auto const generated = generate_age_identity_file_text();
    write_file(our_key_file, std::span(reinterpret_cast<std::uint8_t const*>(generated.identity_file_text.data()), generated.identity_file_text.size()), perms_private);
    auto our_identities = AgeIdentity::load_file(our_key_file);
    REQUIRE(our_identities.ok());
    // age-keygen -y derives the same recipient from our key file.
    auto const derived = folder / "derived.txt";
    REQUIRE(run("age-keygen -y -o " + quoted(derived) + " " + quoted(our_key_file)) == 0);
    auto const derived_text = read_file(derived);
    CHECK(std::string(derived_text.begin(), derived_text.end()) == generated.recipient + "\n");

    AgeRecipient const our_recipient = AgeRecipient::parse(generated.recipient).release_value();
    AgeRecipient const extra_recipient = AgeIdentity::generate().recipient();

    struct RecipientSet {
        std::string name;
        std::vector<AgeRecipient> recipients;
    };
    std::vector<RecipientSet> const sets {
        { "one", { reference_recipient } },
        { "several", { extra_recipient, our_recipient, reference_recipient } },
    };

    std::size_t ours_to_age = 0, age_to_ours = 0;
    for (std::size_t const size : sizes) {
        auto const plaintext = pattern(size, static_cast<unsigned>(size) + 1);
        auto const plain_path = folder / "plain.bin";
        write_file(plain_path, plaintext, perms_private);
        for (auto const& set : sets) {
            for (Armor const armor : { Armor::No, Armor::Yes }) {
                INFO("size " << size << ", " << set.name << " recipient(s), armor " << (armor == Armor::Yes ? "yes" : "no"));

                // Ours -> age -d -i (the reference key is in every set).
                auto const sealed = folder / "ours.age";
                auto const opened = folder / "ours.out";
                std::filesystem::remove(sealed);
                std::filesystem::remove(opened);
                REQUIRE(encrypt_file_to(plain_path, set.recipients, sealed, armor).ok());
                REQUIRE(run("age -d -i " + quoted(reference_key) + " -o " + quoted(opened) + " " + quoted(sealed)) == 0);
                CHECK(read_file(opened) == plaintext);
                ++ours_to_age;

                // age -r / -R -> ours. -R with a recipients file for the several-recipient case.
                auto const theirs = folder / "theirs.age";
                auto const theirs_opened = folder / "theirs.out";
                std::filesystem::remove(theirs);
                std::filesystem::remove(theirs_opened);
                std::string command = "age -e";
                if (armor == Armor::Yes)
                    command += " -a";
                if (set.recipients.size() == 1) {
                    command += " -r " + set.recipients[0].to_string();
                } else {
                    std::string list = "# recipients\n";
                    for (auto const& recipient : set.recipients)
                        list += recipient.to_string() + "\n";
                    auto const list_path = folder / "recipients.txt";
                    write_file(list_path, std::span(reinterpret_cast<std::uint8_t const*>(list.data()), list.size()), perms_private);
                    command += " -R " + quoted(list_path);
                }
                command += " -o " + quoted(theirs) + " " + quoted(plain_path);
                REQUIRE(run(command) == 0);
                auto const& identities = set.recipients.size() == 1 ? reference_identities.value() : our_identities.value();
                auto const result = decrypt_file_to(theirs, identities, theirs_opened);
                INFO((result.ok() ? std::string() : result.error().to_text()));
                REQUIRE(result.ok());
                CHECK(read_file(theirs_opened) == plaintext);
                ++age_to_ours;
            }
        }
    }
    std::printf("age interop: %zu files encrypted here opened by age, %zu files encrypted by age opened here\n", ours_to_age, age_to_ours);
}

TEST_CASE("age refuses what we refuse: a truncated file of ours fails in age too")
{
    REQUIRE(age_available());
    Scratch scratch;
    auto const& folder = scratch.folder;
    auto const key = folder / "key.txt";
    REQUIRE(run("age-keygen -o " + quoted(key)) == 0);
    ::chmod(key.c_str(), 0600);
    auto identities = AgeIdentity::load_file(key);
    REQUIRE(identities.ok());
    std::vector<AgeRecipient> const recipients { identities.value()[0].recipient() };
    auto const plain = folder / "plain.bin";
    write_file(plain, pattern(200000, 9), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto const sealed = folder / "sealed.age";
    REQUIRE(encrypt_file_to(plain, recipients, sealed, Armor::No).ok());
    std::filesystem::resize_file(sealed, std::filesystem::file_size(sealed) - 10);
    CHECK(run("age -d -i " + quoted(key) + " -o " + quoted(folder / "out.bin") + " " + quoted(sealed)) != 0);
    CHECK(decrypt_file_to(sealed, identities.value(), folder / "ours.bin").error().code() == base::ErrorCode::PayloadCorrupt);
    CHECK_FALSE(std::filesystem::exists(folder / "ours.bin"));
}
