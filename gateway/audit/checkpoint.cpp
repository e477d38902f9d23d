#include "gateway/audit/checkpoint.hpp"

#include "gateway/audit/journal.hpp"
#include "gateway/audit/keys_in_use.hpp"
#include "gateway/base/text.hpp"
#include "gateway/crypto/base64.hpp"
#include "gateway/store/audit_log.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace dcagw::audit {

using base::ErrorCode;
using base::make_error;

namespace {

constexpr std::size_t max_checkpoint_file_bytes = 256u << 20;

base::Error invalid(std::string const& what)
{
    return make_error(ErrorCode::AuditCheckpointInvalid, what);
}

bool is_utc_time(std::string_view text)
{
    // YYYY-MM-DDTHH:MM:SSZ
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
        return false;
    for (std::size_t i : { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18 })
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

std::optional<std::time_t> parse_utc(std::string_view text)
{
    if (!is_utc_time(text))
        return std::nullopt;
    std::tm parts {};
    parts.tm_year = std::atoi(std::string(text.substr(0, 4)).c_str()) - 1900;
    parts.tm_mon = std::atoi(std::string(text.substr(5, 2)).c_str()) - 1;
    parts.tm_mday = std::atoi(std::string(text.substr(8, 2)).c_str());
    parts.tm_hour = std::atoi(std::string(text.substr(11, 2)).c_str());
    parts.tm_min = std::atoi(std::string(text.substr(14, 2)).c_str());
    parts.tm_sec = std::atoi(std::string(text.substr(17, 2)).c_str());
    return timegm(&parts);
}

} // namespace

std::string Checkpoint::message() const
{
    return std::string(checkpoint_magic) + " " + std::to_string(count) + " " + hash_hex(head) + " " + time;
}

std::string Checkpoint::signature_base64() const
{
    return crypto::encode_base64(signature, crypto::Base64Padding::Yes);
}

std::string Checkpoint::line() const
{
    return message() + " " + signature_base64();
}

base::Result<Checkpoint> parse_checkpoint_line(std::string_view line)
{
    auto const parts = base::split(line, ' ');
    if (parts.size() != 5 || parts[0] != checkpoint_magic)
        return invalid("a checkpoint line is '" + std::string(checkpoint_magic) + " <count> <head hex> <time> <base64 signature>'");
    Checkpoint checkpoint;
    auto const count = base::parse_int64(parts[1]);
    if (!count || *count < 0 || std::to_string(*count) != parts[1])
        return invalid("the count '" + std::string(parts[1]) + "' is not a decimal number");
    checkpoint.count = *count;
    auto const head = hash_from_hex(parts[2]);
    if (!head)
        return invalid("the head is not 64 lower-case hex digits");
    checkpoint.head = *head;
    if (!is_utc_time(parts[3]))
        return invalid("the time '" + std::string(parts[3]) + "' is not YYYY-MM-DDTHH:MM:SSZ");
    checkpoint.time = std::string(parts[3]);
    auto const signature = crypto::decode_base64(parts[4], crypto::Base64Padding::Yes);
    if (!signature || signature->size() != 64)
        return invalid("the signature is not base64 of 64 bytes");
    std::copy(signature->begin(), signature->end(), checkpoint.signature.begin());
    return checkpoint;
}

bool verify_checkpoint(Checkpoint const& checkpoint, crypto::Ed25519PublicKey const& key)
{
    auto const message = checkpoint.message();
    return crypto::verify_raw(key, std::span(reinterpret_cast<std::uint8_t const*>(message.data()), message.size()), checkpoint.signature);
}

Checkpoint sign_checkpoint(crypto::Ed25519SigningKey const& key, std::int64_t count, Hash const& head, std::string time)
{
    Checkpoint checkpoint;
    checkpoint.count = count;
    checkpoint.head = head;
    checkpoint.time = std::move(time);
    auto const message = checkpoint.message();
    checkpoint.signature = key.sign_raw(std::span(reinterpret_cast<std::uint8_t const*>(message.data()), message.size()));
    return checkpoint;
}

base::Result<std::vector<CheckpointFileLine>> read_checkpoint_file(std::filesystem::path const& path)
{
    auto const text = TRY(base::read_file_limited(path, max_checkpoint_file_bytes));
    std::vector<CheckpointFileLine> lines;
    std::size_t number = 0;
    for (auto line : base::split(text, '\n')) {
        ++number;
        if (base::trim(line).empty())
            continue;
        lines.push_back({ number, parse_checkpoint_line(line) });
    }
    return lines;
}

base::Result<void> append_checkpoint_line(std::filesystem::path const& path, Checkpoint const& checkpoint)
{
    auto const where = "appending a checkpoint to " + path.string();
    int const descriptor = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (descriptor < 0)
        return make_error(ErrorCode::FileWriteFailed, where + ": " + std::strerror(errno));
    auto const text = checkpoint.line() + "\n";
    // One write of one line: with O_APPEND a concurrent writer cannot interleave inside it.
    auto const written = ::write(descriptor, text.data(), text.size());
    int const write_errno = errno;
    int const synced = ::fsync(descriptor);
    int const sync_errno = errno;
    ::close(descriptor);
    if (written != static_cast<ssize_t>(text.size()))
        return make_error(ErrorCode::FileWriteFailed, where + ": " + (written < 0 ? std::strerror(write_errno) : "short write"));
    if (synced != 0)
        return make_error(ErrorCode::FileWriteFailed, where + ": fsync: " + std::strerror(sync_errno));
    return {};
}

base::Result<std::vector<std::pair<std::int64_t, base::Result<Checkpoint>>>> stored_checkpoints(store::Ledger& ledger)
{
    std::vector<std::pair<std::int64_t, base::Result<Checkpoint>>> out;
    for (auto const& row : TRY(ledger.audit().checkpoints())) {
        auto const line = std::string(checkpoint_magic) + " " + std::to_string(row.entry_count) + " " + row.head_hash + " " + row.signed_at + " "
            + row.signature;
        out.emplace_back(row.id, parse_checkpoint_line(line));
    }
    return out;
}

base::Result<Checkpoint> write_checkpoint(store::Ledger& ledger, crypto::Ed25519SigningKey const& key,
    std::optional<std::filesystem::path> const& checkpoint_file, std::string const& actor)
{
    if (ledger.in_transaction())
        return make_error(ErrorCode::Internal, "an audit checkpoint is written in a transaction of its own, after the caller's commits");
    auto body = [&]() -> base::Result<Checkpoint> {
        auto& log = ledger.audit();
        auto const head = TRY(log.head());
        Hash head_hash = genesis_hash;
        std::int64_t count = 0;
        if (head) {
            count = head->first;
            head_hash = hash_from_bytes(head->second).value_or(genesis_hash);
        }
        auto checkpoint = sign_checkpoint(key, count, head_hash, utc_now());
        store::AuditCheckpointRow row;
        row.entry_count = checkpoint.count;
        row.head_hash = hash_hex(checkpoint.head);
        row.signed_at = checkpoint.time;
        row.signature = checkpoint.signature_base64();
        TRY(log.add_checkpoint(row));
        Journal journal(ledger, actor);
        Entry entry;
        entry.kind = EntryKind::Checkpoint;
        entry.add("count", checkpoint.count);
        entry.add("head", hash_hex(checkpoint.head));
        entry.add("signed_at", checkpoint.time);
        entry.add("signature", checkpoint.signature_base64());
        TRY(journal.append(std::move(entry)));
        return checkpoint;
    };
    auto checkpoint = TRY(ledger.transaction(body));
    if (checkpoint_file)
        TRY(append_checkpoint_line(*checkpoint_file, checkpoint));
    return checkpoint;
}

base::Result<std::optional<Checkpoint>> checkpoint_run(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor)
{
    if (!config.signing_key)
        return std::optional<Checkpoint> {};
    auto const key = TRY(load_signing_key(ledger, config, actor));
    return std::optional(TRY(write_checkpoint(ledger, key, config.audit.checkpoint_file, actor)));
}

base::Result<crypto::Ed25519SigningKey> load_signing_key(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor)
{
    auto key = TRY_CONTEXT(crypto::Ed25519SigningKey::load(config.signing_key.value()), "loading the audit signing key");
    // `audit verify` checks with the configured public key: a mismatch is refused here,
    // before anything is signed that could never verify.
    if (config.signing_public_key) {
        auto const configured = TRY_CONTEXT(crypto::Ed25519PublicKey::load(*config.signing_public_key), "loading the audit signing_public_key");
        if (!(configured == key.public_key()))
            return base::make_error(base::ErrorCode::KeyInvalid,
                config.signing_public_key->string() + " is not the public half of the signing_key " + config.signing_key->string());
    }
    TRY(ledger.transaction([&] {
        return Journal(ledger, actor).record_key_if_new({ "ed25519", key.public_key().to_text(), recorded_key_path(config, *config.signing_key), "signing audit checkpoints and exports" });
    }));
    return key;
}

void checkpoint_at_end_of_run(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor,
    std::optional<std::string>& line, std::vector<std::string>& warnings)
{
    auto written = checkpoint_run(ledger, config, actor);
    if (written.is_error())
        warnings.push_back("the audit checkpoint failed: " + written.error().to_text());
    else if (!written.value())
        warnings.push_back("no signing_key configured: the audit log was not checkpointed");
    else
        line = written.value()->line();
}

base::Result<std::optional<Checkpoint>> checkpoint_if_due(store::Ledger& ledger, model::GatewayConfig const& config, std::string const& actor,
    std::chrono::seconds interval)
{
    auto const rows = TRY(ledger.audit().checkpoints());
    auto const head = TRY(ledger.audit().head());
    std::int64_t const count = head ? head->first : 0;
    if (!rows.empty()) {
        auto const& last = rows.back();
        // The checkpoint entry that follows each checkpoint is not news.
        if (count <= last.entry_count + 1)
            return std::optional<Checkpoint> {};
        auto const signed_at = parse_utc(last.signed_at);
        if (signed_at && std::time(nullptr) - *signed_at < interval.count())
            return std::optional<Checkpoint> {};
    }
    return checkpoint_run(ledger, config, actor);
}

} // namespace dcagw::audit
