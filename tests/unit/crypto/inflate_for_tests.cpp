#include "inflate_for_tests.hpp"

#include <array>

namespace dcagw::tests {

namespace {

constexpr int max_code_bits = 15;

class BitReader {
public:
    explicit BitReader(std::span<std::uint8_t const> input) : m_input(input) {}

    // Reads `count` bits, least significant first; false when the input runs out.
    bool bits(int count, std::uint32_t& value)
    {
        value = 0;
        for (int index = 0; index < count; ++index) {
            if (m_position >= m_input.size())
                return false;
            std::uint32_t const bit = (m_input[m_position] >> m_bit) & 1;
            value |= bit << index;
            if (++m_bit == 8) {
                m_bit = 0;
                ++m_position;
            }
        }
        return true;
    }

    void align_to_byte()
    {
        if (m_bit != 0) {
            m_bit = 0;
            ++m_position;
        }
    }

    std::size_t byte_position() const { return m_position; }
    void skip_bytes(std::size_t count) { m_position += count; }
    std::span<std::uint8_t const> input() const { return m_input; }

private:
    std::span<std::uint8_t const> m_input;
    std::size_t m_position { 0 };
    int m_bit { 0 };
};

// A canonical Huffman code as counts per length and symbols sorted by code.
struct Huffman {
    std::array<std::uint16_t, max_code_bits + 1> count {};
    std::vector<std::uint16_t> symbol;

    bool build(std::span<std::uint8_t const> lengths)
    {
        count.fill(0);
        for (std::uint8_t const length : lengths)
            ++count[length];
        count[0] = 0;
        // Refuse over-subscribed codes (incomplete codes are allowed by DEFLATE).
        int left = 1;
        for (int length = 1; length <= max_code_bits; ++length) {
            left <<= 1;
            left -= count[length];
            if (left < 0)
                return false;
        }
        std::array<std::uint16_t, max_code_bits + 2> offsets {};
        for (int length = 1; length <= max_code_bits; ++length)
            offsets[length + 1] = static_cast<std::uint16_t>(offsets[length] + count[length]);
        symbol.assign(lengths.size(), 0);
        for (std::size_t index = 0; index < lengths.size(); ++index) {
            if (lengths[index] != 0)
                symbol[offsets[lengths[index]]++] = static_cast<std::uint16_t>(index);
        }
        return true;
    }

    // Decodes one symbol bit by bit; -1 on error.
    int decode(BitReader& reader) const
    {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int length = 1; length <= max_code_bits; ++length) {
            std::uint32_t bit = 0;
            if (!reader.bits(1, bit))
                return -1;
            code |= static_cast<int>(bit);
            int const here = count[length];
            if (code - here < first)
                return symbol[static_cast<std::size_t>(index + (code - first))];
            index += here;
            first += here;
            first <<= 1;
            code <<= 1;
        }
        return -1;
    }
};

constexpr std::array<std::uint16_t, 29> length_base { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
constexpr std::array<std::uint8_t, 29> length_extra { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
constexpr std::array<std::uint16_t, 30> distance_base { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
constexpr std::array<std::uint8_t, 30> distance_extra { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

bool inflate_codes(BitReader& reader, Huffman const& literals, Huffman const& distances,
    std::vector<std::uint8_t>& out, std::size_t max_output)
{
    while (true) {
        int const symbol = literals.decode(reader);
        if (symbol < 0)
            return false;
        if (symbol < 256) {
            if (out.size() >= max_output)
                return false;
            out.push_back(static_cast<std::uint8_t>(symbol));
            continue;
        }
        if (symbol == 256)
            return true;
        std::size_t const length_index = static_cast<std::size_t>(symbol - 257);
        if (length_index >= length_base.size())
            return false;
        std::uint32_t extra = 0;
        if (!reader.bits(length_extra[length_index], extra))
            return false;
        std::size_t const length = length_base[length_index] + extra;
        int const distance_symbol = distances.decode(reader);
        if (distance_symbol < 0 || distance_symbol >= 30)
            return false;
        if (!reader.bits(distance_extra[static_cast<std::size_t>(distance_symbol)], extra))
            return false;
        std::size_t const distance = distance_base[static_cast<std::size_t>(distance_symbol)] + extra;
        if (distance > out.size() || out.size() + length > max_output)
            return false;
        for (std::size_t index = 0; index < length; ++index)
            out.push_back(out[out.size() - distance]);
    }
}

bool inflate_fixed(BitReader& reader, std::vector<std::uint8_t>& out, std::size_t max_output)
{
    std::array<std::uint8_t, 288> lengths {};
    for (std::size_t index = 0; index < 288; ++index)
        lengths[index] = index < 144 ? 8 : index < 256 ? 9 : index < 280 ? 7 : 8;
    std::array<std::uint8_t, 30> distance_lengths {};
    distance_lengths.fill(5);
    Huffman literals, distances;
    if (!literals.build(lengths) || !distances.build(distance_lengths))
        return false;
    return inflate_codes(reader, literals, distances, out, max_output);
}

bool inflate_dynamic(BitReader& reader, std::vector<std::uint8_t>& out, std::size_t max_output)
{
    std::uint32_t literal_count = 0, distance_count = 0, code_count = 0;
    if (!reader.bits(5, literal_count) || !reader.bits(5, distance_count) || !reader.bits(4, code_count))
        return false;
    literal_count += 257;
    distance_count += 1;
    code_count += 4;
    if (literal_count > 286 || distance_count > 30)
        return false;
    constexpr std::array<std::uint8_t, 19> order { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    std::array<std::uint8_t, 19> code_lengths {};
    for (std::uint32_t index = 0; index < code_count; ++index) {
        std::uint32_t value = 0;
        if (!reader.bits(3, value))
            return false;
        code_lengths[order[index]] = static_cast<std::uint8_t>(value);
    }
    Huffman code_lengths_code;
    if (!code_lengths_code.build(code_lengths))
        return false;

    std::vector<std::uint8_t> lengths(literal_count + distance_count, 0);
    std::size_t index = 0;
    while (index < lengths.size()) {
        int const symbol = code_lengths_code.decode(reader);
        if (symbol < 0)
            return false;
        if (symbol < 16) {
            lengths[index++] = static_cast<std::uint8_t>(symbol);
            continue;
        }
        std::uint8_t repeated = 0;
        std::uint32_t repeat = 0;
        if (symbol == 16) {
            if (index == 0 || !reader.bits(2, repeat))
                return false;
            repeated = lengths[index - 1];
            repeat += 3;
        } else if (symbol == 17) {
            if (!reader.bits(3, repeat))
                return false;
            repeat += 3;
        } else {
            if (!reader.bits(7, repeat))
                return false;
            repeat += 11;
        }
        if (index + repeat > lengths.size())
            return false;
        for (std::uint32_t count = 0; count < repeat; ++count)
            lengths[index++] = repeated;
    }
    if (lengths[256] == 0)
        return false; // no end-of-block code
    Huffman literals, distances;
    if (!literals.build(std::span(lengths).first(literal_count))
        || !distances.build(std::span(lengths).subspan(literal_count)))
        return false;
    return inflate_codes(reader, literals, distances, out, max_output);
}

std::uint32_t adler32(std::span<std::uint8_t const> data)
{
    std::uint32_t a = 1, b = 0;
    for (std::uint8_t const byte : data) {
        a = (a + byte) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

} // namespace

std::optional<std::vector<std::uint8_t>> zlib_decompress(std::span<std::uint8_t const> input, std::size_t max_output)
{
    // RFC 1950: CMF (method 8 = deflate, window <= 32 KiB), FLG (no preset dictionary),
    // and (CMF*256 + FLG) divisible by 31.
    if (input.size() < 6)
        return std::nullopt;
    std::uint8_t const method_flags = input[0], flags = input[1];
    if ((method_flags & 0x0F) != 8 || (method_flags >> 4) > 7 || ((method_flags << 8) | flags) % 31 != 0 || (flags & 0x20) != 0)
        return std::nullopt;
    BitReader reader(input.subspan(2));
    std::vector<std::uint8_t> out;
    std::uint32_t last = 0;
    do {
        std::uint32_t type = 0;
        if (!reader.bits(1, last) || !reader.bits(2, type))
            return std::nullopt;
        if (type == 0) {
            reader.align_to_byte();
            std::size_t const position = reader.byte_position();
            auto const data = reader.input();
            if (position + 4 > data.size())
                return std::nullopt;
            std::uint32_t const length = data[position] | (data[position + 1] << 8);
            std::uint32_t const complement = data[position + 2] | (data[position + 3] << 8);
            if ((length ^ 0xFFFF) != complement || position + 4 + length > data.size() || out.size() + length > max_output)
                return std::nullopt;
            out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(position + 4),
                data.begin() + static_cast<std::ptrdiff_t>(position + 4 + length));
            reader.skip_bytes(4 + length);
        } else if (type == 1) {
            if (!inflate_fixed(reader, out, max_output))
                return std::nullopt;
        } else if (type == 2) {
            if (!inflate_dynamic(reader, out, max_output))
                return std::nullopt;
        } else {
            return std::nullopt;
        }
    } while (last == 0);
    reader.align_to_byte();
    std::size_t const trailer = 2 + reader.byte_position();
    if (trailer + 4 != input.size())
        return std::nullopt;
    std::uint32_t const expected = (std::uint32_t(input[trailer]) << 24) | (std::uint32_t(input[trailer + 1]) << 16)
        | (std::uint32_t(input[trailer + 2]) << 8) | input[trailer + 3];
    if (adler32(out) != expected)
        return std::nullopt;
    return out;
}

} // namespace dcagw::tests
