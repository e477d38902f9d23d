#include "gateway/cli/table.hpp"

#include "gateway/base/text.hpp"
#include "gateway/cli/messages.hpp"

#include <algorithm>
#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace dcagw::cli {

namespace {

constexpr std::size_t width_when_not_a_terminal = 120;
// No column is wider than this unless --wide: a hash or a reason is shortened instead.
constexpr std::size_t max_column_width = 40;
// Shrinking to fit stops here (or at the header's width, if larger).
constexpr std::size_t min_column_width = 6;
constexpr std::size_t gap = 2;
constexpr std::string_view ellipsis = "\xE2\x80\xA6"; // "…", one character wide

std::size_t line_width(std::vector<std::size_t> const& widths)
{
    std::size_t total = 0;
    for (auto const width : widths)
        total += width;
    return widths.empty() ? 0 : total + gap * (widths.size() - 1);
}

} // namespace

std::size_t output_width()
{
    struct winsize size {};
    if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return width_when_not_a_terminal;
}

TableWriter::TableWriter(std::vector<std::string> columns, TableOptions options)
    : m_columns(std::move(columns))
    , m_options(std::move(options))
{
}

void TableWriter::row(std::vector<std::string> texts)
{
    ++m_rows;
    if (m_laid_out) {
        print_row(texts);
        return;
    }
    m_sample.push_back(std::move(texts));
    if (m_sample.size() == sample_rows)
        lay_out();
}

void TableWriter::finish()
{
    if (m_rows == 0) {
        std::printf("(none)\n");
        return;
    }
    if (!m_laid_out)
        lay_out();
    std::fflush(stdout);
    if (!m_hidden.empty()) {
        std::string names;
        for (auto const& name : m_hidden)
            names += (names.empty() ? "" : ", ") + name;
        print_note(std::to_string(m_hidden.size()) + " column(s) left out to fit " + std::to_string(m_options.width) + " characters (" + names
            + "); --wide shows every column, --format csv or json everything");
    } else if (m_shortened) {
        print_note("long values are shortened with \xE2\x80\xA6 to fit " + std::to_string(m_options.width) + " characters; --wide shows them in full");
    }
}

// Chooses the columns and their widths from the header and the sample, prints the header
// and the sample, and from then on each row as it comes.
void TableWriter::lay_out()
{
    m_laid_out = true;
    std::vector<std::size_t> natural;
    for (auto const& column : m_columns)
        natural.push_back(column.size());
    for (auto const& texts : m_sample)
        for (std::size_t i = 0; i < texts.size() && i < natural.size(); ++i)
            natural[i] = std::max(natural[i], base::utf8_length(texts[i]));
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        m_shown.push_back(i);
    auto widths_of_shown = [&] {
        std::vector<std::size_t> widths;
        for (auto const index : m_shown)
            widths.push_back(m_options.wide ? natural[index] : std::max(m_columns[index].size(), std::min(natural[index], max_column_width)));
        return widths;
    };
    m_widths = widths_of_shown();
    if (!m_options.wide) {
        // Leave out detail columns, the last declared first, until the line fits.
        for (auto detail = m_options.detail_columns.rbegin(); detail != m_options.detail_columns.rend() && line_width(m_widths) > m_options.width;
             ++detail) {
            auto const found = std::find_if(m_shown.begin(), m_shown.end(), [&](std::size_t index) { return m_columns[index] == *detail; });
            if (found == m_shown.end())
                continue;
            m_hidden.insert(m_hidden.begin(), *detail);
            m_shown.erase(found);
            m_widths = widths_of_shown();
        }
        // Then narrow the widest columns, one character at a time.
        while (line_width(m_widths) > m_options.width) {
            std::size_t widest = m_widths.size();
            for (std::size_t i = 0; i < m_widths.size(); ++i)
                if (m_widths[i] > std::max(min_column_width, m_columns[m_shown[i]].size()) && (widest == m_widths.size() || m_widths[i] > m_widths[widest]))
                    widest = i;
            if (widest == m_widths.size())
                break;
            --m_widths[widest];
        }
    }
    std::vector<std::string> header;
    for (auto const& column : m_columns)
        header.push_back(base::to_upper_ascii(column));
    print_row(header);
    for (auto const& texts : m_sample)
        print_row(texts);
    m_sample.clear();
    m_sample.shrink_to_fit();
}

void TableWriter::print_row(std::vector<std::string> const& texts)
{
    std::string line;
    for (std::size_t k = 0; k < m_shown.size(); ++k) {
        auto const index = m_shown[k];
        std::string_view text = index < texts.size() ? std::string_view(texts[index]) : std::string_view();
        auto length = base::utf8_length(text);
        std::string shortened;
        if (!m_options.wide && length > m_widths[k]) {
            shortened = std::string(base::utf8_prefix(text, m_widths[k] - 1)) + std::string(ellipsis);
            text = shortened;
            length = m_widths[k];
            m_shortened = true;
        }
        line += text;
        if (k + 1 < m_shown.size())
            line.append(m_widths[k] > length ? m_widths[k] - length + gap : gap, ' ');
    }
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    std::printf("%s\n", line.c_str());
}

} // namespace dcagw::cli
