#include "gateway/cases/case_reader_buffer.hpp"

#include "gateway/base/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace dcagw::cases::detail {

namespace {

base::Error too_large(std::uint64_t limit)
{
    return base::make_error(base::ErrorCode::InputTooLarge, "the file is larger than the limit of " + std::to_string(limit) + " bytes (max_file_bytes)");
}

class FileSource final : public ByteSource {
public:
    explicit FileSource(int descriptor) : m_descriptor(descriptor) {}
    ~FileSource() override { ::close(m_descriptor); }
    FileSource(FileSource const&) = delete;
    FileSource& operator=(FileSource const&) = delete;

    base::Result<std::size_t> read(char* destination, std::size_t size) override
    {
        for (;;) {
            ssize_t const count = ::read(m_descriptor, destination, size);
            if (count >= 0)
                return static_cast<std::size_t>(count);
            if (errno == EINTR)
                continue;
            return base::make_error(base::ErrorCode::FileUnreadable, std::string("read failed: ") + std::strerror(errno));
        }
    }

private:
    int m_descriptor;
};

class MemorySource final : public ByteSource {
public:
    MemorySource(std::string_view bytes, std::size_t chunk_bytes) : m_bytes(bytes), m_chunk_bytes(chunk_bytes) {}

    base::Result<std::size_t> read(char* destination, std::size_t size) override
    {
        std::size_t count = std::min(size, m_bytes.size() - m_offset);
        if (m_chunk_bytes != 0)
            count = std::min(count, m_chunk_bytes);
        if (count != 0)
            std::memcpy(destination, m_bytes.data() + m_offset, count);
        m_offset += count;
        return count;
    }

    std::size_t largest_read() const override
    {
        std::size_t const largest = std::min(read_chunk_bytes, std::max<std::size_t>(m_bytes.size(), 1));
        return m_chunk_bytes == 0 ? largest : std::min(largest, m_chunk_bytes);
    }

private:
    std::string_view m_bytes;
    std::size_t m_chunk_bytes;
    std::size_t m_offset { 0 };
};

} // namespace

std::size_t ByteSource::largest_read() const
{
    return read_chunk_bytes;
}

base::Result<std::unique_ptr<ByteSource>> open_file_source(std::filesystem::path const& path, std::uint64_t max_file_bytes)
{
    int const descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) {
        int const error = errno;
        auto const code = error == ENOENT ? base::ErrorCode::FileNotFound : base::ErrorCode::FileUnreadable;
        return base::make_error(code, std::string("cannot open the file: ") + std::strerror(error));
    }
    auto source = std::make_unique<FileSource>(descriptor);
    struct stat status {};
    if (::fstat(descriptor, &status) != 0)
        return base::make_error(base::ErrorCode::FileUnreadable, std::string("cannot inspect the file: ") + std::strerror(errno));
    if (S_ISDIR(status.st_mode))
        return base::make_error(base::ErrorCode::FileUnreadable, "is a folder, not a file");
    // A regular file's size is known up front: refuse it before reading anything. Pipes
    // and files that grow while read are caught by the running count in refill().
    if (S_ISREG(status.st_mode) && static_cast<std::uint64_t>(status.st_size) > max_file_bytes)
        return too_large(max_file_bytes);
    ::posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<ByteSource>(std::move(source));
}

std::unique_ptr<ByteSource> make_memory_source(std::string_view bytes, std::size_t chunk_bytes)
{
    return std::make_unique<MemorySource>(bytes, chunk_bytes);
}

InputBuffer::InputBuffer(std::unique_ptr<ByteSource> source, model::InputLimits const& limits)
    : m_source(std::move(source))
    , m_max_file_bytes(limits.max_file_bytes)
    // One whole record plus look-ahead may be kept across a refill; the rest of the
    // buffer is always free for a full-sized read.
    , m_capacity(limits.max_record_bytes + 2 * lookahead_bytes + m_source->largest_read())
{
    m_storage = std::make_unique<char[]>(m_capacity);
}

void InputBuffer::count_lines_to(std::size_t position)
{
    if (position <= m_counted_to)
        return;
    char const* cursor = m_storage.get() + m_counted_to;
    char const* const end = m_storage.get() + position;
    while (cursor < end) {
        auto const* newline = static_cast<char const*>(std::memchr(cursor, '\n', static_cast<std::size_t>(end - cursor)));
        if (newline == nullptr)
            break;
        ++m_newlines;
        cursor = newline + 1;
    }
    m_counted_to = position;
}

std::uint64_t InputBuffer::line_at(std::size_t position)
{
    count_lines_to(position);
    return m_newlines + 1;
}

base::Result<InputBuffer::Refill> InputBuffer::refill(std::size_t keep_from)
{
    keep_from = std::min(keep_from, m_size);
    count_lines_to(keep_from);
    std::size_t const kept = m_size - keep_from;
    if (keep_from != 0 && kept != 0)
        std::memmove(m_storage.get(), m_storage.get() + keep_from, kept);
    m_size = kept;
    m_counted_to = m_counted_to > keep_from ? m_counted_to - keep_from : 0;
    Refill result { keep_from, 0 };
    if (m_end_of_input)
        return result;
    if (m_size == m_capacity)
        return base::make_error(base::ErrorCode::Internal, "case reader kept more than one record in its buffer");
    std::size_t const count = TRY(m_source->read(m_storage.get() + m_size, m_capacity - m_size));
    if (count == 0) {
        m_end_of_input = true;
        return result;
    }
    m_total_read += count;
    if (m_total_read > m_max_file_bytes)
        return too_large(m_max_file_bytes);
    m_size += count;
    result.bytes_read = count;
    return result;
}

base::Result<std::size_t> InputBuffer::skip_byte_order_mark()
{
    while (m_size < 3 && !m_end_of_input)
        TRY(refill(0));
    if (m_size >= 3 && std::memcmp(m_storage.get(), "\xEF\xBB\xBF", 3) == 0)
        return std::size_t { 3 };
    return std::size_t { 0 };
}

bool Scratch::append(char const* bytes, std::size_t count)
{
    if (count > m_capacity - m_used)
        return false;
    std::memcpy(m_storage.get() + m_used, bytes, count);
    m_used += count;
    return true;
}

std::optional<model::CaseField> lookup_field(std::string_view name)
{
    static std::unordered_map<std::string_view, model::CaseField> const table = [] {
        std::unordered_map<std::string_view, model::CaseField> map;
        for (auto const& entry : model::field_table())
            map.emplace(entry.name, entry.field);
        return map;
    }();
    auto const found = table.find(name);
    if (found == table.end())
        return std::nullopt;
    return found->second;
}

std::string printable_name(std::string_view text)
{
    constexpr std::size_t limit = 64;
    bool printable = text.size() <= limit && base::is_valid_utf8(text);
    for (char const byte : text)
        if (static_cast<unsigned char>(byte) < 0x20 || byte == 0x7F)
            printable = false;
    if (printable)
        return std::string(text);
    // Shown escaped so an operator can still find it, without control bytes in logs.
    std::string shown;
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        auto const byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte < 0x7F) {
            shown += static_cast<char>(byte);
        } else {
            static constexpr char hex[] = "0123456789abcdef";
            shown += "\\x";
            shown += hex[byte >> 4];
            shown += hex[byte & 0xF];
        }
    }
    if (text.size() > limit)
        shown += "...";
    return shown;
}

void reset_record(model::RawRecord& record, std::string_view file, std::uint64_t line)
{
    record.location.file = file;
    record.location.line = line;
    record.values.fill(std::string_view {});
    record.present.fill(false);
}

void make_rejection(model::Rejection& rejection, std::string_view file, std::uint64_t line, model::RawRecord const* record,
    std::string_view field, std::string reason)
{
    rejection.file = std::string(file);
    rejection.line = line;
    rejection.account_ref.clear();
    rejection.person_ref.clear();
    if (record != nullptr) {
        // References are only copied when they are plausible identifiers; an invalid or
        // huge value would otherwise leak into logs.
        auto const reference = [](std::string_view value) {
            bool usable = value.size() <= 64 && base::is_valid_utf8(value);
            for (char const byte : value)
                if (static_cast<unsigned char>(byte) < 0x20)
                    usable = false;
            return usable ? std::string(value) : std::string();
        };
        if (record->present[model::index_of(model::CaseField::account_ref)])
            rejection.account_ref = reference(record->value(model::CaseField::account_ref));
        if (record->present[model::index_of(model::CaseField::person_ref)])
            rejection.person_ref = reference(record->value(model::CaseField::person_ref));
    }
    rejection.field = std::string(field);
    rejection.reason = std::move(reason);
}

} // namespace dcagw::cases::detail
