// Test helper: spooled files as a placement run leaves them (each file in
// <state>/spool/<agency>/, its batch `spooled` in the ledger with size and SHA-256), of
// random content, for the send crash tests, and the check that every one of them was
// delivered exactly once.
#pragma once

#include "gateway/crypto/hash.hpp"
#include "gateway/store/ledger.hpp"
#include "gateway/store/transfers.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

namespace dcagw::test {

struct SpoolShape {
    std::string agency;
    int file_count { 0 };
    std::size_t min_bytes { 0 };
    std::size_t extra_bytes { 0 };  // each file has min_bytes plus up to this many more
};

// Returns file name -> SHA-256 (hex).
inline std::map<std::string, std::string> make_spool(std::filesystem::path const& state, SpoolShape const& shape)
{
    auto ledger = store::Ledger::open(state, store::OpenMode::Create);
    REQUIRE(ledger.ok());
    auto& l = *ledger.value();
    auto const run = l.begin_run("place", "cases.csv", "2026-11-23");
    REQUIRE(run.ok());
    auto const spool = state / "spool" / shape.agency;
    std::filesystem::create_directories(spool);
    std::mt19937_64 random(7);
    std::map<std::string, std::string> hashes;
    for (int index = 1; index <= shape.file_count; ++index) {
        auto const name = "20261123-placement-" + std::to_string(index) + ".csv.age";
        std::string content(shape.min_bytes + static_cast<std::size_t>(random() % (shape.extra_bytes + 1)), '\0');
        for (auto& c : content)
            c = static_cast<char>(random());
        std::ofstream(spool / name, std::ios::binary) << content;
        auto const hash = crypto::digest_hex(crypto::Sha256::digest(content));
        hashes[name] = hash;
        REQUIRE(l.next_sequence(shape.agency, "20261123").ok());
        store::Batch batch;
        batch.run = run.value();
        batch.agency = shape.agency;
        batch.file_name = name;
        batch.temporary_path = (spool / ("." + name + ".tmp")).string();
        batch.final_path = (spool / name).string();
        auto const id = l.create_batch(batch);
        REQUIRE(id.ok());
        REQUIRE(l.update_batch(id.value(), store::BatchStatus::Sealed, 1, static_cast<std::int64_t>(content.size()), hash).ok());
        REQUIRE(l.update_batch(id.value(), store::BatchStatus::Spooled, 1, static_cast<std::int64_t>(content.size()), hash).ok());
    }
    return hashes;
}

// The ledger: one transfer per spooled file, each delivered under its own name with the
// file's size and hash.
inline void check_every_transfer_delivered(std::filesystem::path const& state, std::map<std::string, std::string> const& hashes)
{
    auto ledger = store::Ledger::open(state, store::OpenMode::Create);
    REQUIRE(ledger.ok());
    store::Transfers transfers(*ledger.value());
    auto const all = transfers.list(std::nullopt);
    REQUIRE(all.ok());
    CHECK(all.value().size() == hashes.size());
    for (auto const& transfer : all.value()) {
        INFO(transfer.file_name);
        CHECK(transfer.status == store::TransferStatus::Delivered);
        CHECK(transfer.remote_name == transfer.file_name);
        CHECK(transfer.remote_size == transfer.size_bytes);
        REQUIRE(hashes.contains(transfer.file_name));
        CHECK(transfer.sha256 == hashes.at(transfer.file_name));
    }
}

} // namespace dcagw::test
