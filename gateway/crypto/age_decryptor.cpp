// AgeDecryptor (see age.hpp): armor detection, header, payload nonce, STREAM chunks.
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/age_armor.hpp"
#include "gateway/crypto/age_header.hpp"
#include "gateway/crypto/age_primitives.hpp"
#include "gateway/crypto/age_x25519.hpp"
#include "gateway/crypto/stream_stage.hpp"

#include <cstring>
#include <optional>
#include <sodium.h>

namespace dcagw::crypto {

using base::ErrorCode;
using base::make_error;
using namespace age_detail;

namespace {

constexpr std::string_view scrypt_stanza_type = "scrypt";
constexpr std::string_view hybrid_stanza_type = "mlkem768x25519";

base::Error payload_error(std::string message)
{
    return make_error(ErrorCode::PayloadCorrupt, "age payload: " + std::move(message));
}

// The binary format: header, nonce, chunks. Plaintext reaches `output` one authenticated
// chunk at a time.
class BinaryDecoder final : public base::ByteSink {
public:
    BinaryDecoder(std::span<AgeIdentity const> identities, base::ByteSink& output)
        : m_identities(identities)
        , m_output(output)
    {
    }

    using base::ByteSink::write;

    base::Result<void> write(std::span<std::uint8_t const> bytes) override
    {
        while (!bytes.empty()) {
            switch (m_stage) {
            case Stage::Header:
                bytes = TRY(consume_header(bytes));
                break;
            case Stage::Nonce: {
                std::size_t const take = std::min(payload_nonce_size - m_nonce_fill, bytes.size());
                std::memcpy(m_nonce.data() + m_nonce_fill, bytes.data(), take);
                m_nonce_fill += take;
                bytes = bytes.subspan(take);
                if (m_nonce_fill == payload_nonce_size)
                    TRY(start_payload());
                break;
            }
            case Stage::Payload:
                bytes = TRY(consume_payload(bytes));
                break;
            }
        }
        return {};
    }

    base::Result<void> finish() override
    {
        if (m_stage == Stage::Header)
            return make_error(ErrorCode::HeaderInvalid, "age header: file ends inside the header");
        if (m_stage == Stage::Nonce)
            return make_error(ErrorCode::HeaderInvalid, "age header: file ends before the 16-byte payload nonce");
        TRY(open_final_chunk());
        return m_output.finish();
    }

private:
    enum class Stage { Header, Nonce, Payload };

    base::Result<std::span<std::uint8_t const>> consume_header(std::span<std::uint8_t const> bytes)
    {
        auto const* newline = static_cast<std::uint8_t const*>(std::memchr(bytes.data(), '\n', bytes.size()));
        std::size_t const take = newline == nullptr ? bytes.size() : static_cast<std::size_t>(newline - bytes.data()) + 1;
        if (m_header.size() + take > age_max_header_bytes)
            return make_error(ErrorCode::HeaderInvalid, "age header: larger than " + std::to_string(age_max_header_bytes) + " bytes");
        m_header.append(reinterpret_cast<char const*>(bytes.data()), take);
        if (newline != nullptr) {
            // The header ends with the first line that starts with "---".
            if (std::string_view(m_header).substr(m_line_start).starts_with("---"))
                TRY(process_header());
            m_line_start = m_header.size();
        }
        return bytes.subspan(take);
    }

    base::Result<void> process_header()
    {
        ParsedHeader const header = TRY(parse_header(m_header));
        std::size_t scrypt_count = 0;
        bool unsupported_seen = false;
        for (auto const& stanza : header.stanzas) {
            // A malformed X25519 stanza is a header failure whether or not it is ours.
            if (stanza.type == x25519_stanza_type)
                TRY(check_x25519_stanza(stanza));
            if (stanza.type == scrypt_stanza_type) {
                ++scrypt_count;
                unsupported_seen = true;
            }
            if (stanza.type == hybrid_stanza_type)
                unsupported_seen = true;
        }
        // The spec requires a passphrase stanza to be alone, so no other recipient can
        // open (and silently re-encrypt) a passphrase-protected file.
        if (scrypt_count > 0 && header.stanzas.size() > 1)
            return make_error(ErrorCode::HeaderInvalid, "age header: an scrypt stanza must be the only stanza");

        std::optional<SecretBuffer> file_key;
        for (auto const& identity : m_identities) {
            for (auto const& stanza : header.stanzas) {
                if (stanza.type != x25519_stanza_type)
                    continue;
                file_key = TRY(unwrap_file_key_x25519(identity, stanza));
                if (file_key)
                    break;
            }
            if (file_key)
                break;
        }
        if (!file_key) {
            if (unsupported_seen)
                return make_error(ErrorCode::UnsupportedRecipient,
                    "age: the file is encrypted to a passphrase (scrypt) or ML-KEM hybrid recipient, which this gateway does not support");
            return make_error(ErrorCode::NoMatchingIdentity, "age: no identity matches any of the file's recipients");
        }

        SecretBuffer header_key(32);
        TRY(hkdf_sha256(file_key->bytes(), {}, "header", header_key.bytes()));
        auto const mac = TRY(hmac_sha256(header_key.bytes(),
            std::span(reinterpret_cast<std::uint8_t const*>(m_header.data()), header.mac_input_size)));
        if (sodium_memcmp(mac.data(), header.mac.data(), mac.size()) != 0)
            return make_error(ErrorCode::HeaderMacMismatch, "age header: MAC does not match (the header was altered or the file key is wrong)");
        m_file_key = std::move(file_key);
        m_stage = Stage::Nonce;
        m_header = std::string(); // release the memory; the header is no longer needed
        return {};
    }

    base::Result<void> start_payload()
    {
        SecretBuffer payload_key(32);
        TRY(hkdf_sha256(m_file_key->bytes(), m_nonce, "payload", payload_key.bytes()));
        m_file_key.reset();
        m_cipher.emplace(TRY(ChunkCipher::create(payload_key.bytes(), CipherDirection::Decrypt)));
        m_chunk.resize(encrypted_chunk_size);
        m_plaintext.resize(chunk_size);
        m_stage = Stage::Payload;
        return {};
    }

    base::Result<std::span<std::uint8_t const>> consume_payload(std::span<std::uint8_t const> bytes)
    {
        if (m_final_seen)
            return payload_error("data after the final chunk");
        // Large writes are decrypted in place, without the copy into m_chunk.
        if (m_chunk_fill == 0 && bytes.size() >= encrypted_chunk_size) {
            TRY(open_full_chunk(bytes.first(encrypted_chunk_size)));
            return bytes.subspan(encrypted_chunk_size);
        }
        std::size_t const take = std::min(encrypted_chunk_size - m_chunk_fill, bytes.size());
        std::memcpy(m_chunk.data() + m_chunk_fill, bytes.data(), take);
        m_chunk_fill += take;
        if (m_chunk_fill == encrypted_chunk_size) {
            TRY(open_full_chunk(m_chunk));
            m_chunk_fill = 0;
        }
        return bytes.subspan(take);
    }

    // A full-size chunk is a middle chunk or a full final one; which nonce authenticates
    // it tells them apart, so its plaintext can be released before more input arrives.
    // Anything after a final chunk is then refused.
    base::Result<void> open_full_chunk(std::span<std::uint8_t const> sealed)
    {
        if (!m_cipher->open(stream_nonce(m_counter, LastChunk::No), sealed, m_plaintext.data())) {
            if (!m_cipher->open(stream_nonce(m_counter, LastChunk::Yes), sealed, m_plaintext.data()))
                return payload_error("chunk " + std::to_string(m_counter) + " failed to authenticate");
            m_final_seen = true;
        }
        return release(sealed.size() - tag_size);
    }

    // The input has ended: what is buffered (shorter than a full chunk) is the final chunk.
    base::Result<void> open_final_chunk()
    {
        std::span<std::uint8_t const> const sealed(m_chunk.data(), m_chunk_fill);
        m_chunk_fill = 0;
        if (sealed.empty()) {
            if (m_final_seen)
                return {};
            return payload_error(m_counter == 0 ? "no chunks (file truncated)" : "no final chunk (file truncated)");
        }
        if (sealed.size() < tag_size)
            return payload_error("file truncated inside chunk " + std::to_string(m_counter));
        // Only an empty file may end with an empty chunk.
        if (sealed.size() == tag_size && m_counter > 0)
            return payload_error("empty final chunk");
        if (!m_cipher->open(stream_nonce(m_counter, LastChunk::Yes), sealed, m_plaintext.data()))
            return payload_error("chunk " + std::to_string(m_counter) + " failed to authenticate as the final chunk (file truncated or altered)");
        m_final_seen = true;
        return release(sealed.size() - tag_size);
    }

    base::Result<void> release(std::size_t size)
    {
        ++m_counter;
        return m_output.write(std::span<std::uint8_t const>(m_plaintext.data(), size));
    }

    std::span<AgeIdentity const> m_identities;
    base::ByteSink& m_output;
    Stage m_stage { Stage::Header };
    std::string m_header;
    std::size_t m_line_start { 0 };
    std::optional<SecretBuffer> m_file_key;
    std::array<std::uint8_t, payload_nonce_size> m_nonce {};
    std::size_t m_nonce_fill { 0 };
    std::optional<ChunkCipher> m_cipher;
    std::vector<std::uint8_t> m_chunk;
    std::size_t m_chunk_fill { 0 };
    std::vector<std::uint8_t> m_plaintext;
    std::uint64_t m_counter { 0 };
    bool m_final_seen { false };
};

bool is_whitespace(std::uint8_t byte)
{
    return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n';
}

} // namespace

struct AgeDecryptor::State {
    AgeInput input;
    BinaryDecoder binary;
    std::unique_ptr<ArmorReader> armor;
    base::ByteSink* entry { nullptr }; // null until the format is known
    std::string detect_buffer;         // leading whitespace seen while detecting
    detail::StreamStage stage { "an age decryptor" };

    State(std::span<AgeIdentity const> identities, base::ByteSink& output, AgeInput input_format)
        : input(input_format)
        , binary(identities, output)
    {
    }

    void choose(AgeInput format)
    {
        if (format == AgeInput::Armored) {
            armor = std::make_unique<ArmorReader>(binary);
            entry = armor.get();
        } else {
            entry = &binary;
        }
    }

    // Detect: armored when the first byte after leading whitespace is '-'.
    base::Result<std::span<std::uint8_t const>> detect(std::span<std::uint8_t const> bytes)
    {
        std::size_t index = 0;
        while (index < bytes.size() && is_whitespace(bytes[index]) && detect_buffer.size() + index < age_max_armor_whitespace)
            ++index;
        detect_buffer.append(reinterpret_cast<char const*>(bytes.data()), index);
        bytes = bytes.subspan(index);
        if (bytes.empty() && detect_buffer.size() < age_max_armor_whitespace)
            return bytes; // still undecided
        choose(!bytes.empty() && bytes[0] == '-' ? AgeInput::Armored : AgeInput::Binary);
        TRY(entry->write(detect_buffer));
        detect_buffer = std::string();
        return bytes;
    }
};

AgeDecryptor::AgeDecryptor(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}

AgeDecryptor::~AgeDecryptor() = default;

base::Result<std::unique_ptr<AgeDecryptor>> AgeDecryptor::create(
    std::span<AgeIdentity const> identities, base::ByteSink& output, AgeInput input)
{
    auto state = std::make_unique<State>(identities, output, input);
    if (input != AgeInput::Detect)
        state->choose(input);
    return std::unique_ptr<AgeDecryptor>(new AgeDecryptor(std::move(state)));
}

base::Result<void> AgeDecryptor::write(std::span<std::uint8_t const> bytes)
{
    State& state = *m_state;
    return state.stage.write([&]() -> base::Result<void> {
        if (state.entry == nullptr)
            bytes = TRY(state.detect(bytes));
        if (state.entry == nullptr || bytes.empty())
            return {};
        return state.entry->write(bytes);
    });
}

base::Result<void> AgeDecryptor::finish()
{
    State& state = *m_state;
    return state.stage.finish([&]() -> base::Result<void> {
        if (state.entry == nullptr) {
            state.choose(AgeInput::Binary);
            TRY(state.entry->write(state.detect_buffer));
        }
        return state.entry->finish();
    });
}

} // namespace dcagw::crypto
