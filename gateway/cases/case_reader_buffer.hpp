// cases/case_reader_buffer: the byte sources and the sliding read buffer shared by the
// case export readers (CSV, JSON Lines, XML). Internal to the cases module.
//
// Owns: reading the input in large chunks into one fixed-size buffer, counting the bytes
// against max_file_bytes, compacting the buffer so that only the record being read is
// kept, counting physical lines, and the small helpers every reader needs (field lookup by name, safe identifiers for rejections).
// Must never: grow the buffer after construction, or keep more than one record's bytes
// (plus a bounded look-ahead) from one refill to the next.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/case_fields.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/config.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dcagw::cases::detail {

// Where the bytes come from: a file descriptor, or memory (tests and fuzzing).
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes into `destination`; 0 means the input has ended.
    virtual base::Result<std::size_t> read(char* destination, std::size_t size) = 0;
    // The most one read can usefully return, which sizes the read buffer: read_chunk_bytes
    // for a file; for bytes in memory no more than there are, so a reader over a small
    // input (a test, a fuzz input) does not allocate and clear a whole chunk.
    virtual std::size_t largest_read() const;
};

base::Result<std::unique_ptr<ByteSource>> open_file_source(std::filesystem::path const& path, std::uint64_t max_file_bytes);
// `chunk_bytes` caps each read (0 = no cap), so tests can make records straddle refills.
std::unique_ptr<ByteSource> make_memory_source(std::string_view bytes, std::size_t chunk_bytes);

// Reads are this large so that the per-read cost disappears against the parsing.
inline constexpr std::size_t read_chunk_bytes = 1u << 20;
// The readers look at most this many bytes ahead of a record start or markup start.
inline constexpr std::size_t lookahead_bytes = 64;

// A fixed buffer holding the bytes [0, size()) of a window onto the input. Readers keep
// positions as offsets into it; refill() moves the bytes from `keep_from` on to the front,
// so every kept position must be reduced by the returned shift.
class InputBuffer {
public:
    InputBuffer(std::unique_ptr<ByteSource> source, model::InputLimits const& limits);

    char* data() { return m_storage.get(); }
    std::size_t size() const { return m_size; }
    bool at_end_of_input() const { return m_end_of_input; }

    struct Refill {
        std::size_t shift { 0 };
        std::size_t bytes_read { 0 };
    };
    // Drops the bytes before `keep_from` and reads more. bytes_read == 0 means the input
    // has ended. Fails with InputTooLarge past max_file_bytes.
    base::Result<Refill> refill(std::size_t keep_from);

    // The 1-based physical line (counted by LF bytes) on which the byte at `position`
    // lies. Positions passed in must never decrease between refills.
    std::uint64_t line_at(std::size_t position);

    // Skips a UTF-8 byte order mark at the very start of the input; returns the first
    // position after it.
    base::Result<std::size_t> skip_byte_order_mark();

private:
    void count_lines_to(std::size_t position);

    std::unique_ptr<ByteSource> m_source;
    std::uint64_t m_max_file_bytes;
    std::unique_ptr<char[]> m_storage;
    std::size_t m_capacity { 0 };
    std::size_t m_size { 0 };
    bool m_end_of_input { false };
    std::uint64_t m_total_read { 0 };
    std::size_t m_counted_to { 0 };
    std::uint64_t m_newlines { 0 };
};

// A reused scratch area for unescaped values. Its capacity is fixed at max_record_bytes
// (unescaping never makes a record longer), so views into it stay valid for the record.
class Scratch {
public:
    explicit Scratch(std::size_t capacity) : m_storage(std::make_unique<char[]>(capacity + 1)), m_capacity(capacity) {}
    void clear() { m_used = 0; }
    // Starts a value; append() adds to it; finish() returns it.
    std::size_t begin() const { return m_used; }
    bool append(char const* bytes, std::size_t count);
    bool append(char byte) { return append(&byte, 1); }
    std::string_view since(std::size_t start) const { return { m_storage.get() + start, m_used - start }; }
    // Room for `count` more bytes for a decoder to write into (nullptr when it does not
    // fit); commit() then adds the bytes it wrote, at most `count`.
    char* room(std::size_t count) { return count > m_capacity - m_used ? nullptr : m_storage.get() + m_used; }
    void commit(std::size_t count) { m_used += count; }

private:
    std::unique_ptr<char[]> m_storage;
    std::size_t m_capacity;
    std::size_t m_used { 0 };
};

// Canonical field from an exact name, through a hash table (the readers call it per key).
std::optional<model::CaseField> lookup_field(std::string_view name);

// An identifier copied into a rejection or warning only when it is short, valid UTF-8 and
// free of control characters; otherwise a shortened, escaped form.
std::string printable_name(std::string_view text);

void reset_record(model::RawRecord& record, std::string_view file, std::uint64_t line);

// Fills a rejection; account and person references are taken from the record when present.
void make_rejection(model::Rejection& rejection, std::string_view file, std::uint64_t line, model::RawRecord const* record,
    std::string_view field, std::string reason);

} // namespace dcagw::cases::detail

namespace dcagw::cases {
class CaseReader;
}

namespace dcagw::cases::detail {

// The three readers (csv_case_reader.cpp, jsonl_case_reader.cpp, xml_case_reader.cpp).
// The CSV reader reads its header here, so a header problem is an error at open time.
base::Result<std::unique_ptr<CaseReader>> open_csv_case_reader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name);
base::Result<std::unique_ptr<CaseReader>> open_jsonl_case_reader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name);
base::Result<std::unique_ptr<CaseReader>> open_xml_case_reader(std::unique_ptr<ByteSource> source, model::InputLimits const& limits, std::string display_name);

} // namespace dcagw::cases::detail
