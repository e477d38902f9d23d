#include "gateway/rules/limitation.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace dcagw::rules {

namespace {

constexpr int limitation_years = 6;

// The dated things that can move the expiry, processed in date order. On the same day a
// payment or acknowledgement is taken before a breathing space starting that day, so the
// moratorium extends the restarted period (the later of the two possible results).
enum class EventKind : std::uint8_t { Payment, Acknowledgement, BreathingSpace };

struct Event {
    base::Date date;
    EventKind kind { EventKind::Payment };
    std::int64_t days { 0 }; // breathing space length, both end days counted

    bool operator<(Event const& other) const
    {
        if (date != other.date)
            return date < other.date;
        return kind < other.kind;
    }
};

// Writes the explanation sentence unless it was not asked for.
class Narrator {
public:
    Narrator(std::string& out, Explanation explanation) : m_out(out), m_enabled(explanation == Explanation::Include) {}

    template<typename... Parts>
    void say(Parts const&... parts)
    {
        if (m_enabled)
            (append(parts), ...);
    }

private:
    void append(std::string_view text) { m_out.append(text); }
    void append(char const* text) { m_out.append(text); }
    void append(std::string const& text) { m_out.append(text); }
    void append(base::Date date) { m_out.append(date.to_string()); }
    void append(std::int64_t number) { m_out.append(std::to_string(number)); }

    std::string& m_out;
    bool m_enabled;
};

std::string_view event_name(EventKind kind)
{
    return kind == EventKind::Payment ? "a payment" : "a written acknowledgement";
}

// Collects the events of the record into `events`, sorted; returns how many there are.
std::size_t collect_events(model::CaseRecord const& record, base::Date today, std::array<Event, 3>& events)
{
    std::size_t count = 0;
    if (record.last_payment_date)
        events[count++] = Event { *record.last_payment_date, EventKind::Payment, 0 };
    if (record.last_acknowledgement_date)
        events[count++] = Event { *record.last_acknowledgement_date, EventKind::Acknowledgement, 0 };
    // A breathing space that has not begun yet extends nothing; one still running (or with
    // no end recorded) counts up to today, so the expiry grows while it lasts.
    if (record.breathing_space != model::BreathingSpace::None && record.breathing_space_start && *record.breathing_space_start <= today) {
        base::Date const start = *record.breathing_space_start;
        base::Date last = today;
        if (record.breathing_space_end && *record.breathing_space_end < today)
            last = *record.breathing_space_end;
        if (last >= start)
            events[count++] = Event { start, EventKind::BreathingSpace, last.to_days() - start.to_days() + 1 };
    }
    // At most three items: an insertion sort needs no allocation and is obviously right.
    for (std::size_t i = 1; i < count; ++i)
        for (std::size_t j = i; j > 0 && events[j] < events[j - 1]; --j)
            std::swap(events[j], events[j - 1]);
    return count;
}

} // namespace

std::string_view to_string(LimitationStatus status)
{
    switch (status) {
    case LimitationStatus::InTime: return "in_time";
    case LimitationStatus::StatuteBarred: return "statute_barred";
    case LimitationStatus::NeverBarred: return "never_barred";
    case LimitationStatus::Unknown: return "unknown";
    }
    return "unknown";
}

LimitationResult compute_limitation(model::CaseRecord const& record, base::Date today, Explanation explanation)
{
    LimitationResult result;
    Narrator narrator(result.explanation, explanation);
    bool const council_tax = record.debt_type == model::DebtType::COUNCIL_TAX;

    if (council_tax && record.liability_order_date) {
        result.status = LimitationStatus::NeverBarred;
        narrator.say("Council tax with a liability order dated ", *record.liability_order_date,
            ": enforcing an existing liability order has no limitation period, so the debt is never statute-barred.");
        return result;
    }
    if (!record.due_date) {
        result.status = LimitationStatus::Unknown;
        narrator.say("The export gives no due_date, so the limitation period cannot be computed; supply the due date before the debt is placed.");
        return result;
    }

    base::Date expiry = record.due_date->plus_years(limitation_years);
    if (council_tax)
        narrator.say("Council tax due ", *record.due_date, " with no liability order: an order must be sought within six years, by ", expiry);
    else
        narrator.say("Due ", *record.due_date, ": the six-year period runs to ", expiry);

    std::array<Event, 3> events {};
    std::size_t const event_count = collect_events(record, today, events);
    for (std::size_t i = 0; i < event_count; ++i) {
        Event const& event = events[i];
        if (event.kind == EventKind::BreathingSpace) {
            if (event.date < expiry) {
                expiry = expiry.plus_days(event.days);
                narrator.say("; a breathing space of ", event.days, " days from ", event.date, " extends it to ", expiry);
            } else {
                narrator.say("; a breathing space from ", event.date, " began after the period had ended and does not extend it");
            }
            continue;
        }
        if (event.date > expiry) {
            // s29(7): once the period has run out, a payment or acknowledgement does not
            // revive it; every later event is later still, so nothing after can either.
            narrator.say("; ", event_name(event.kind), " on ", event.date, " came after the period had ended and cannot revive it (s29(7))");
            break;
        }
        base::Date const restarted = event.date.plus_years(limitation_years);
        if (restarted > expiry) {
            expiry = restarted;
            narrator.say("; ", event_name(event.kind), " on ", event.date, " restarts it (s29(5)), now to ", expiry);
        } else {
            narrator.say("; ", event_name(event.kind), " on ", event.date, " would restart it only to ", restarted, ", which is no later");
        }
    }

    result.expiry = expiry;
    if (today >= expiry) {
        result.status = LimitationStatus::StatuteBarred;
        narrator.say(". Statute-barred from ", expiry, " (today is ", today, ").");
    } else {
        result.status = LimitationStatus::InTime;
        narrator.say(". In time: statute-barred from ", expiry, " (today is ", today, ").");
    }
    return result;
}

} // namespace dcagw::rules
