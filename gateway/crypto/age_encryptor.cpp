// AgeEncryptor (see age.hpp): header, payload nonce, then 64 KiB STREAM chunks.
#include "gateway/crypto/age.hpp"
#include "gateway/crypto/age_armor.hpp"
#include "gateway/crypto/age_header.hpp"
#include "gateway/crypto/age_primitives.hpp"
#include "gateway/crypto/age_x25519.hpp"
#include "gateway/crypto/stream_stage.hpp"
#include "gateway/crypto/base64.hpp"

#include <cstring>
#include <optional>
#include <sodium.h>

namespace dcagw::crypto {

using base::ErrorCode;
using base::make_error;
using namespace age_detail;

struct AgeEncryptor::State {
    std::unique_ptr<ArmorWriter> armor;
    base::ByteSink* output { nullptr }; // the armor writer or the caller's sink
    std::optional<ChunkCipher> cipher;
    std::uint64_t counter { 0 };
    // Plaintext of the current chunk; a full chunk is held back until more input shows
    // it is not the last one.
    std::vector<std::uint8_t> plaintext;
    std::vector<std::uint8_t> sealed;
    detail::StreamStage stage { "an age encryptor" };

    base::Result<void> seal_chunk(std::span<std::uint8_t const> chunk, LastChunk last)
    {
        auto const nonce = stream_nonce(counter, last);
        TRY(cipher->seal(nonce, chunk, sealed.data()));
        ++counter;
        return output->write(std::span<std::uint8_t const>(sealed.data(), chunk.size() + tag_size));
    }
};

AgeEncryptor::AgeEncryptor(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}

AgeEncryptor::~AgeEncryptor() = default;

base::Result<std::unique_ptr<AgeEncryptor>> AgeEncryptor::create(
    std::span<AgeRecipient const> recipients, base::ByteSink& output, Armor armor)
{
    if (recipients.empty())
        return make_error(ErrorCode::Usage, "age encryption needs at least one recipient");
    if (recipients.size() > age_max_stanzas)
        return make_error(ErrorCode::Usage, "more than " + std::to_string(age_max_stanzas) + " age recipients");
    ensure_sodium_initialised();

    auto state = std::make_unique<State>();
    state->output = &output;
    if (armor == Armor::Yes) {
        state->armor = std::make_unique<ArmorWriter>(output);
        state->output = state->armor.get();
    }

    SecretBuffer file_key(file_key_size);
    randombytes_buf(file_key.data(), file_key.size());

    std::string header(version_line);
    header.push_back('\n');
    for (auto const& recipient : recipients) {
        Stanza const stanza = TRY_CONTEXT(wrap_file_key_x25519(recipient, file_key.bytes()), "age recipient " + recipient.to_string());
        append_stanza(header, stanza);
    }
    header += "---";
    SecretBuffer header_key(32);
    TRY(hkdf_sha256(file_key.bytes(), {}, "header", header_key.bytes()));
    auto const mac = TRY(hmac_sha256(header_key.bytes(),
        std::span(reinterpret_cast<std::uint8_t const*>(header.data()), header.size())));
    header += ' ';
    append_base64(header, mac, Base64Padding::No);
    header += '\n';

    std::array<std::uint8_t, payload_nonce_size> nonce {};
    randombytes_buf(nonce.data(), nonce.size());
    SecretBuffer payload_key(32);
    TRY(hkdf_sha256(file_key.bytes(), nonce, "payload", payload_key.bytes()));
    state->cipher.emplace(TRY(ChunkCipher::create(payload_key.bytes(), CipherDirection::Encrypt)));

    header.append(reinterpret_cast<char const*>(nonce.data()), nonce.size());
    TRY(state->output->write(header));
    state->plaintext.reserve(chunk_size);
    state->sealed.resize(encrypted_chunk_size);
    return std::unique_ptr<AgeEncryptor>(new AgeEncryptor(std::move(state)));
}

base::Result<void> AgeEncryptor::write(std::span<std::uint8_t const> bytes)
{
    State& state = *m_state;
    return state.stage.write([&]() -> base::Result<void> {
        while (!bytes.empty()) {
            // A held-back full chunk is now known not to be the last one.
            if (state.plaintext.size() == chunk_size) {
                TRY(state.seal_chunk(state.plaintext, LastChunk::No));
                state.plaintext.clear();
            }
            // Whole chunks straight from the caller's buffer when one more byte follows,
            // saving a copy on large writes.
            if (state.plaintext.empty() && bytes.size() > chunk_size) {
                TRY(state.seal_chunk(bytes.first(chunk_size), LastChunk::No));
                bytes = bytes.subspan(chunk_size);
                continue;
            }
            std::size_t const take = std::min(chunk_size - state.plaintext.size(), bytes.size());
            state.plaintext.insert(state.plaintext.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
            bytes = bytes.subspan(take);
        }
        return {};
    });
}

base::Result<void> AgeEncryptor::finish()
{
    State& state = *m_state;
    return state.stage.finish([&]() -> base::Result<void> {
        // The last chunk is sealed even when empty, so a file always ends with a marked chunk.
        auto result = state.seal_chunk(state.plaintext, LastChunk::Yes);
        if (result.ok())
            result = state.output->finish();
        sodium_memzero(state.plaintext.data(), state.plaintext.size());
        return result;
    });
}

} // namespace dcagw::crypto
