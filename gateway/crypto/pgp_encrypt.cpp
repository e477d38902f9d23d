#include "gateway/crypto/pgp.hpp"
#include "gateway/crypto/pgp_keyring.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dcagw::crypto {

namespace {

// Bytes buffered between write() and librnp's reader. Large enough that the two threads
// rarely wait on each other, small enough to be irrelevant next to a multi-GB input.
constexpr std::size_t pipe_capacity = 1 << 20;

} // namespace

// Everything the worker thread and the caller share. Locking rules: `mutex` guards the
// ring buffer and the flags; `output_error` is written only by the worker thread and read
// only after it has been joined.
struct PgpEncryptor::State {
    PgpKeyring keyring;
    PgpKeyHandle recipient;
    PgpKeyHandle signer;
    base::ByteSink* output { nullptr };
    rnp_input_t input { nullptr };
    rnp_output_t rnp_output { nullptr };
    rnp_op_encrypt_t operation { nullptr };
    std::thread worker;

    std::mutex mutex;
    std::condition_variable data_ready;
    std::condition_variable space_ready;
    std::vector<std::uint8_t> ring = std::vector<std::uint8_t>(pipe_capacity);
    std::size_t ring_start { 0 };
    std::size_t ring_size { 0 };
    bool input_closed { false };   // finish(): no more plaintext will come
    bool abandoned { false };      // destroyed unfinished: the reader must fail
    bool worker_done { false };
    bool finished { false };
    rnp_result_t execute_result { RNP_SUCCESS };
    std::optional<base::Error> output_error;

    explicit State(PgpKeyring ring_keys) : keyring(std::move(ring_keys)) {}

    ~State()
    {
        if (worker.joinable()) {
            {
                std::lock_guard lock(mutex);
                abandoned = true;
            }
            data_ready.notify_all();
            worker.join();
        }
        if (operation != nullptr)
            rnp_op_encrypt_destroy(operation);
        if (input != nullptr)
            rnp_input_destroy(input);
        if (rnp_output != nullptr)
            rnp_output_destroy(rnp_output);
    }

    // librnp's reader, on the worker thread: blocks until plaintext, end or abandonment.
    static bool read(void* context, void* buffer, std::size_t length, std::size_t* read_count)
    {
        auto& state = *static_cast<State*>(context);
        std::unique_lock lock(state.mutex);
        state.data_ready.wait(lock, [&] { return state.ring_size > 0 || state.input_closed || state.abandoned; });
        if (state.abandoned)
            return false;
        std::size_t const count = std::min(length, state.ring_size);
        std::size_t const first = std::min(count, pipe_capacity - state.ring_start);
        std::memcpy(buffer, state.ring.data() + state.ring_start, first);
        std::memcpy(static_cast<std::uint8_t*>(buffer) + first, state.ring.data(), count - first);
        state.ring_start = (state.ring_start + count) % pipe_capacity;
        state.ring_size -= count;
        *read_count = count; // zero with input_closed is end of input
        lock.unlock();
        state.space_ready.notify_one();
        return true;
    }

    // librnp's writer, on the worker thread: forwards ciphertext to the caller's sink.
    static bool write_out(void* context, void const* buffer, std::size_t length)
    {
        auto& state = *static_cast<State*>(context);
        try {
            auto result = state.output->write(std::span<std::uint8_t const>(static_cast<std::uint8_t const*>(buffer), length));
            if (result.is_error()) {
                state.output_error = result.release_error();
                return false;
            }
            return true;
        } catch (...) {
            // Exceptions must not unwind through librnp's C frames.
            state.output_error = base::make_error(base::ErrorCode::FileWriteFailed, "writing the OpenPGP output failed");
            return false;
        }
    }

    static void close_output(void*, bool) {}
    static void close_input(void*) {}

    void run()
    {
        rnp_result_t const result = rnp_op_encrypt_execute(operation);
        {
            std::lock_guard lock(mutex);
            execute_result = result;
            worker_done = true;
        }
        space_ready.notify_all();
    }

    base::Error failure()
    {
        if (output_error.has_value())
            return base::Error(*output_error).with_context("OpenPGP encryption");
        return rnp_error(execute_result, "OpenPGP encryption");
    }
};

namespace {

// Whether the key or one of its subkeys may encrypt and is valid (not expired, not revoked).
bool can_encrypt_to(rnp_key_handle_t key)
{
    auto const usable = [](rnp_key_handle_t handle) {
        bool allows = false;
        bool valid = false;
        return rnp_key_allows_usage(handle, "encrypt", &allows) == RNP_SUCCESS && allows && rnp_key_is_valid(handle, &valid) == RNP_SUCCESS && valid;
    };
    if (usable(key))
        return true;
    std::size_t count = 0;
    if (rnp_key_get_subkey_count(key, &count) != RNP_SUCCESS)
        return false;
    for (std::size_t index = 0; index < count; ++index) {
        rnp_key_handle_t raw = nullptr;
        if (rnp_key_get_subkey_at(key, index, &raw) != RNP_SUCCESS || raw == nullptr)
            continue;
        PgpKeyHandle const subkey(raw);
        if (usable(subkey.get()))
            return true;
    }
    return false;
}

} // namespace

base::Result<std::unique_ptr<PgpEncryptor>> PgpEncryptor::create(PgpEncryptOptions const& options, base::ByteSink& output)
{
    auto keyring = TRY(PgpKeyring::create());
    if (options.passphrase_file.has_value())
        TRY_CONTEXT(keyring.load_passphrase_file(*options.passphrase_file), "reading the passphrase file");
    auto const recipient_fingerprint = TRY_CONTEXT(keyring.load_public_key_file(options.recipient_public_key), "loading the recipient's OpenPGP key");
    std::optional<std::string> signer_fingerprint;
    if (options.signing_secret_key.has_value())
        signer_fingerprint = TRY_CONTEXT(keyring.load_secret_key_file(*options.signing_secret_key), "loading our OpenPGP signing key");

    auto state = std::make_unique<State>(std::move(keyring));
    state->output = &output;
    state->recipient = TRY(state->keyring.locate(recipient_fingerprint));
    // Checked here because librnp only finds out while encrypting, and its "No suitable
    // key" would be reported as "no match", a decryption failure with a decryption hint.
    if (!can_encrypt_to(state->recipient.get()))
        return base::make_error(base::ErrorCode::KeyInvalid,
            options.recipient_public_key.string() + ": the recipient's OpenPGP key has no usable encryption subkey (it may only sign or certify, "
                "or its encryption subkey expired or was revoked)")
            .with_hint("ask the agency for its current public key with an encryption subkey (`gpg --armor --export KEYID` exports the subkeys too)");
    if (signer_fingerprint.has_value())
        state->signer = TRY(state->keyring.locate(*signer_fingerprint));

    auto check = [](rnp_result_t result, std::string_view doing) -> base::Result<void> {
        if (result != RNP_SUCCESS)
            return rnp_error(result, doing);
        return {};
    };
    TRY(check(rnp_input_from_callback(&state->input, &State::read, &State::close_input, state.get()), "creating the OpenPGP input"));
    TRY(check(rnp_output_to_callback(&state->rnp_output, &State::write_out, &State::close_output, state.get()), "creating the OpenPGP output"));
    TRY(check(rnp_op_encrypt_create(&state->operation, state->keyring.ffi(), state->input, state->rnp_output), "creating the OpenPGP encryption"));
    // rnp picks the recipient's encryption-capable subkey and the signer's signing key.
    TRY(check(rnp_op_encrypt_add_recipient(state->operation, state->recipient.get()), "using the recipient's key"));
    if (state->signer.get() != nullptr) {
        TRY(check(rnp_op_encrypt_add_signature(state->operation, state->signer.get(), nullptr), "using our signing key (no usable signing key?)"));
        TRY(check(rnp_op_encrypt_set_hash(state->operation, RNP_ALGNAME_SHA256), "setting the signature hash"));
    }
    TRY(check(rnp_op_encrypt_set_cipher(state->operation, RNP_ALGNAME_AES_256), "setting the cipher"));
    // AEAD packets are not read by gpg 2.2, which many agencies run; SEIPD v1 (MDC) is.
    TRY(check(rnp_op_encrypt_set_aead(state->operation, "None"), "disabling AEAD"));
    // Level 1: placement files are repetitive CSV, which level 1 already shrinks by most of
    // what level 6 does, at several times the speed (level 6 ran at about 9 MB/s here and
    // would dominate a million-case run).
    TRY(check(rnp_op_encrypt_set_compression(state->operation, "ZLIB", 1), "setting compression"));
    TRY(check(rnp_op_encrypt_set_armor(state->operation, options.armor == PgpArmor::Armored), "setting armor"));
    TRY(check(rnp_op_encrypt_set_file_name(state->operation, options.literal_file_name.c_str()), "setting the file name"));

    auto* raw_state = state.get();
    try {
        state->worker = std::thread([raw_state] { raw_state->run(); });
    } catch (std::exception const& error) {
        return base::make_error(base::ErrorCode::CryptoFailure, std::string("cannot start the OpenPGP worker thread: ") + error.what());
    }
    return std::unique_ptr<PgpEncryptor>(new PgpEncryptor(std::move(state)));
}

PgpEncryptor::PgpEncryptor(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}

PgpEncryptor::~PgpEncryptor() = default;

base::Result<void> PgpEncryptor::write(std::span<std::uint8_t const> bytes)
{
    auto& state = *m_state;
    if (state.finished)
        return base::make_error(base::ErrorCode::Internal, "OpenPGP encryptor written after finish()");
    while (!bytes.empty()) {
        std::unique_lock lock(state.mutex);
        state.space_ready.wait(lock, [&] { return state.ring_size < pipe_capacity || state.worker_done; });
        if (state.worker_done) {
            // The worker stopped before reading everything: it failed. Join to read why.
            lock.unlock();
            state.worker.join();
            state.finished = true;
            if (state.execute_result == RNP_SUCCESS)
                return base::make_error(base::ErrorCode::Internal, "OpenPGP encryption ended before its input");
            return state.failure();
        }
        std::size_t const end = (state.ring_start + state.ring_size) % pipe_capacity;
        std::size_t const count = std::min(bytes.size(), pipe_capacity - state.ring_size);
        std::size_t const first = std::min(count, pipe_capacity - end);
        std::memcpy(state.ring.data() + end, bytes.data(), first);
        std::memcpy(state.ring.data(), bytes.data() + first, count - first);
        state.ring_size += count;
        bytes = bytes.subspan(count);
        lock.unlock();
        state.data_ready.notify_one();
    }
    return {};
}

base::Result<void> PgpEncryptor::finish()
{
    auto& state = *m_state;
    if (state.finished)
        return base::make_error(base::ErrorCode::Internal, "OpenPGP encryptor finished twice");
    {
        std::lock_guard lock(state.mutex);
        state.input_closed = true;
    }
    state.data_ready.notify_all();
    state.worker.join();
    state.finished = true;
    if (state.execute_result != RNP_SUCCESS || state.output_error.has_value())
        return state.failure();
    return state.output->finish();
}

base::Result<void> pgp_encrypt_file(PgpEncryptOptions const& options, std::filesystem::path const& input, std::filesystem::path const& output)
{
    auto file = TRY(base::AtomicFile::create(output, base::Overwrite::No));
    auto encryptor = TRY(PgpEncryptor::create(options, file));
    // Reading in 64 KiB pieces keeps memory constant whatever the input size.
    std::FILE* source = std::fopen(input.c_str(), "rb");
    if (source == nullptr)
        return base::make_error(errno == ENOENT ? base::ErrorCode::FileNotFound : base::ErrorCode::FileUnreadable, input.string() + ": " + std::strerror(errno));
    std::vector<std::uint8_t> buffer(1 << 16);
    while (true) {
        std::size_t const count = std::fread(buffer.data(), 1, buffer.size(), source);
        if (count > 0) {
            auto written = encryptor->write(std::span<std::uint8_t const>(buffer.data(), count));
            if (written.is_error()) {
                std::fclose(source);
                return written.release_error().with_context("encrypting " + input.string());
            }
        }
        if (count < buffer.size()) {
            bool const failed = std::ferror(source) != 0;
            std::fclose(source);
            if (failed)
                return base::make_error(base::ErrorCode::FileUnreadable, input.string() + ": read error");
            break;
        }
    }
    TRY_CONTEXT(encryptor->finish(), "encrypting " + input.string());
    encryptor.reset();
    TRY(file.commit());
    return {};
}

base::Result<std::string> pgp_public_key_fingerprint(std::filesystem::path const& path)
{
    auto keyring = TRY(PgpKeyring::create());
    return keyring.load_public_key_file(path);
}

base::Result<std::string> pgp_secret_key_fingerprint(std::filesystem::path const& path)
{
    auto keyring = TRY(PgpKeyring::create());
    return keyring.load_secret_key_file(path);
}

} // namespace dcagw::crypto
