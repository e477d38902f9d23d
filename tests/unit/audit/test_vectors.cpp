// Known-answer vectors (tests/vectors/audit/vectors.txt, written by make_vectors.py from
// docs/audit.md with Python's hashlib and OpenSSL's Ed25519): the entry encoding, the hash
// chain, the subject digest and the checkpoint signature.
#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/entry.hpp"
#include "tests/support/signing_keys.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>

using namespace dcagw;
using namespace dcagw::audit;

namespace {

std::map<std::string, std::string> read_vectors()
{
    std::ifstream file(std::string(DCAGW_SOURCE_DIR) + "/tests/vectors/audit/vectors.txt");
    REQUIRE(file);
    std::map<std::string, std::string> vectors;
    std::string line;
    while (std::getline(file, line)) {
        if (line.empty() || line.front() == '#')
            continue;
        auto const colon = line.find(": ");
        REQUIRE(colon != std::string::npos);
        vectors[line.substr(0, colon)] = line.substr(colon + 2);
    }
    return vectors;
}

std::string hex(std::string_view bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char const c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::vector<Entry> vector_entries(Hash const& subject_digest)
{
    Entry config;
    config.sequence = 1;
    config.kind = EntryKind::Config;
    config.time = "2026-11-23T12:00:00Z";
    config.actor = "scheduler";
    config.add("config_file", "/etc/dcagw/gateway.json");
    config.add("sha256", std::string(64, 'a'));
    config.add("previous_sha256", "");

    Entry disclosure;
    disclosure.sequence = 2;
    disclosure.kind = EntryKind::Disclosure;
    disclosure.time = "2026-11-23T12:00:05Z";
    disclosure.actor = "operator:alice";
    disclosure.add("action", "placement");
    disclosure.add("agency", "example-agency");
    disclosure.add("purpose", "Recovery of arrears");
    disclosure.add("lawful_basis", "UK GDPR Art. 6(1)(e)");
    disclosure.add("agreement_reference", "DSA-EXAMPLE-001");
    disclosure.add("agreement_version", "1.0");
    disclosure.add_list("fields", { "account_number", "balance_total", "first_name" });
    disclosure.add("record_count", std::int64_t { 2 });
    disclosure.add("file_name", "20261123-placement.csv.age");
    disclosure.add("plaintext_sha256", std::string(64, 'b'));
    disclosure.add("ciphertext_sha256", std::string(64, 'c'));
    disclosure.add("ciphertext_bytes", std::int64_t { 1234 });
    disclosure.add("encryption", "age");
    disclosure.add_list("recipients", { "age1vsey2ds5hsm408znzsus42sz4lderfzpgk5y5h4unwxul7fx49vspnd6zk" });
    disclosure.add("subject_list", std::int64_t { 1 });
    disclosure.add("subject_count", std::int64_t { 2 });
    disclosure.add("subject_digest", hash_hex(subject_digest));
    disclosure.add("run", std::int64_t { 1 });

    Entry delivery;
    delivery.sequence = 3;
    delivery.kind = EntryKind::Delivery;
    delivery.time = "2026-11-23T12:10:00Z";
    delivery.actor = "scheduler";
    delivery.add("agency", "example-agency");
    delivery.add("file_name", "20261123-placement.csv.age");
    delivery.add("ciphertext_sha256", std::string(64, 'c'));
    delivery.add("transport", "sftp");
    delivery.add("destination", "sftp.example:/inbound");
    delivery.add("receipt", "size 1234 ok");
    return { config, disclosure, delivery };
}

} // namespace

TEST_CASE("audit vectors: subject digest, entry encodings, chain hashes and head")
{
    auto vectors = read_vectors();
    SubjectDigest subjects;
    subjects.add("FTA-100001", "P-500001", "P5YBZ3ZXKLOY46DRX3OSOB4O6");
    subjects.add("FTA-100011", "P-500014", "PNXHTSGLEC6LDRXTCFIYQGRYP");
    CHECK(subjects.count() == 2);
    auto const digest = subjects.finish();
    CHECK(hash_hex(digest) == vectors["subject_digest"]);

    Hash head = genesis_hash;
    int index = 1;
    for (auto const& entry : vector_entries(digest)) {
        auto const encoding = encode(entry);
        CHECK(hex(encoding) == vectors["entry_" + std::to_string(index) + "_encoding"]);
        head = chain_hash(head, encoding);
        CHECK(hash_hex(head) == vectors["entry_" + std::to_string(index) + "_hash"]);
        // Decoding gives back the same entry, which encodes to the same bytes.
        auto const decoded = decode(encoding);
        REQUIRE(decoded.ok());
        CHECK(encode(decoded.value()) == encoding);
        CHECK(decoded.value().fields == entry.fields);
        ++index;
    }
    CHECK(hash_hex(head) == vectors["head"]);
}

TEST_CASE("audit vectors: the checkpoint signature with the example signing key")
{
    auto vectors = read_vectors();
    auto const key = test::example_signing_key(DCAGW_SOURCE_DIR);
    auto const head = hash_from_hex(vectors["head"]);
    REQUIRE(head);
    auto const checkpoint = sign_checkpoint(key, 3, *head, "2026-11-23T12:30:00Z");
    CHECK(checkpoint.line() == vectors["checkpoint_line"]);

    auto const published = crypto::Ed25519PublicKey::load(std::string(DCAGW_SOURCE_DIR) + "/keys-example/creditor-signing.ed25519.pub");
    REQUIRE(published.ok());
    auto const parsed = parse_checkpoint_line(vectors["checkpoint_line"]);
    REQUIRE(parsed.ok());
    CHECK(verify_checkpoint(parsed.value(), published.value()));

    // Any change to the signed fields breaks the signature.
    auto changed = parsed.value();
    changed.count = 2;
    CHECK_FALSE(verify_checkpoint(changed, published.value()));
    changed = parsed.value();
    changed.time = "2026-11-23T12:30:01Z";
    CHECK_FALSE(verify_checkpoint(changed, published.value()));
}

TEST_CASE("audit encoding: malformed bytes and lines are refused")
{
    Entry entry;
    entry.sequence = 7;
    entry.kind = EntryKind::Command;
    entry.time = "2026-11-23T12:00:00Z";
    entry.actor = "operator:bob";
    entry.add("command", "placements recall");
    auto const encoding = encode(entry);
    CHECK_FALSE(decode(encoding.substr(0, encoding.size() - 1)).ok());
    CHECK_FALSE(decode(encoding + "x").ok());
    CHECK_FALSE(decode(encoding.substr(20)).ok());
    CHECK_FALSE(decode_list(std::string("\0\0\0\5ab", 6)).ok());
    CHECK(decode_list(encode_list({ "a", "", "bc" })).value() == std::vector<std::string> { "a", "", "bc" });

    CHECK_FALSE(parse_checkpoint_line("dcagw-audit-checkpoint-v1 3 abc 2026-11-23T12:30:00Z AAAA").ok());
    CHECK_FALSE(parse_checkpoint_line("dcagw-audit-checkpoint-v2 3 " + std::string(64, '0') + " 2026-11-23T12:30:00Z AAAA").ok());
    CHECK_FALSE(parse_checkpoint_line("dcagw-audit-checkpoint-v1 03 " + std::string(64, '0') + " 2026-11-23T12:30:00Z AAAA").ok());
}
