// Tests of XML return files (layouts/return_xml over cases/xml_records): values from child
// elements and attributes through the same line builder as CSV; the record's line; the
// document shape refused whole (root, record element, DOCTYPE, entity declarations, a cut
// document, another encoding); each record's problems quarantined (undeclared, repeated
// or nested elements, stray text, unknown entities, the size limits, invalid UTF-8); records
// across the reader's 64 KiB reads; and that no rejection or error carries a value.
#include "gateway/layouts/return_reader.hpp"
#include "return_test_support.hpp"

#include <catch2/catch.hpp>

#include <sstream>

namespace {

using namespace dcagw;
using model::ReturnField;

model::ReturnLayout xml_payment_layout()
{
    model::ReturnLayout layout;
    layout.name = "pay-xml";
    layout.kind = model::ReturnKind::Payment;
    layout.format = model::ReturnFormat::Xml;
    layout.file_name_glob = "*.xml";
    layout.xml_root = "Payments";
    layout.xml_record = "Payment";
    layout.money_unit = model::MoneyUnit::Pounds;
    layout.columns = { { "id", ReturnField::PaymentId, true, model::XmlPlace::Attribute }, { "ref", ReturnField::AccountReference, true },
        { "amount", ReturnField::Amount, true }, { "date", ReturnField::Date, true }, { "note", ReturnField::Ignore, false } };
    return layout;
}

struct Outcome {
    base::Result<layouts::ReturnReadCounts> counts;
    test::CollectingSink sink;
};

Outcome read(std::string const& text, model::InputLimits limits = {})
{
    std::istringstream input(text);
    test::CollectingSink sink;
    auto counts = layouts::read_return_stream(xml_payment_layout(), input, { limits, base::Date { 2026, 6, 30 }, "returns.xml" }, sink);
    return { std::move(counts), std::move(sink) };
}

std::string record(std::string const& id, std::string const& inside)
{
    return "<Payment id=\"" + id + "\">" + inside + "</Payment>\n";
}

std::string good_inside(std::string const& ref = "A1") { return "<ref>" + ref + "</ref><amount>12.50</amount><date>2026-06-01</date>"; }

std::string document(std::string const& records) { return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Payments>\n" + records + "</Payments>\n"; }

// The one rejection of a document holding one record (on line 3).
model::Rejection only_rejection(std::string const& one_record, model::InputLimits limits = {})
{
    auto outcome = read(document(one_record), limits);
    REQUIRE(outcome.counts.ok());
    REQUIRE(outcome.sink.lines.empty());
    REQUIRE(outcome.sink.rejections.size() == 1);
    CHECK(outcome.sink.rejections[0].line == 3);
    CHECK(outcome.sink.rejections[0].file == "returns.xml");
    CHECK(outcome.sink.rejections[0].reason.find("SECRET") == std::string::npos);
    return outcome.sink.rejections[0];
}

// The error of a document refused whole. Records before the fault may have reached the
// sink: the reader streams, and the caller applies a file only when it was read to the end
// (one transaction, return_reader.hpp), so nothing of a refused file is applied.
std::string refusal(std::string const& text)
{
    auto outcome = read(text);
    REQUIRE_FALSE(outcome.counts.ok());
    CHECK(outcome.counts.error().code() == base::ErrorCode::InputMalformed);
    CHECK(outcome.counts.error().message().find("SECRET") == std::string::npos);
    return outcome.counts.error().message();
}

} // namespace

TEST_CASE("an XML payment reads an attribute and elements into pence and a date", "[layouts][returns][xml]")
{
    auto outcome = read(document(record("P1", "<ref>A&#x31;</ref><amount><![CDATA[12.]]>50</amount>\n  <date>2026-06-01</date><note>x &amp; y</note>")
        + "<!-- a comment between records -->\n" + record("P2", "<ref>B</ref><amount>0.05</amount><date>2026-06-02</date>")));
    REQUIRE(outcome.counts.ok());
    CHECK(outcome.counts.value().lines_accepted == 2);
    REQUIRE(outcome.sink.lines.size() == 2);
    CHECK(outcome.sink.lines[0].line_number == 3);
    CHECK(outcome.sink.lines[1].line_number == 6);
    auto const& payment = std::get<model::PaymentLine>(outcome.sink.lines[0].facts);
    CHECK(payment.payment_id == "P1");
    CHECK(payment.account.agency_reference == "A1");
    CHECK(payment.amount_pence == 1250);
    CHECK(payment.payment_date == base::Date { 2026, 6, 1 });
    CHECK(std::get<model::PaymentLine>(outcome.sink.lines[1].facts).amount_pence == 5);
}

TEST_CASE("an empty root is a file of no lines; an empty file is refused", "[layouts][returns][xml]")
{
    auto empty_root = read("<Payments/>\n");
    REQUIRE(empty_root.counts.ok());
    CHECK(empty_root.counts.value().lines_accepted + empty_root.counts.value().lines_rejected == 0);
    CHECK(refusal("").find("returns.xml: line 1: the document has no <Payments> root element") == 0);
}

TEST_CASE("a document that is not the declared layout is refused whole", "[layouts][returns][xml]")
{
    CHECK(refusal("<Refunds>\n" + record("P1", good_inside()) + "</Refunds>\n").find("line 1: the root element must be <Payments>, not <Refunds>") != std::string::npos);
    CHECK(refusal(document(record("P1", good_inside()) + "<Refund><ref>SECRET</ref></Refund>\n")).find("line 4: the root element <Payments> holds <Refund>, not only <Payment> elements") != std::string::npos);
    CHECK(refusal("<!DOCTYPE Payments [<!ENTITY e \"SECRET\">]>\n" + document(record("P1", "<ref>&e;</ref>"))).find("DOCTYPE and ENTITY declarations are not accepted in a return file") != std::string::npos);
    CHECK(refusal("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Payments/>\n").find("names an encoding other than UTF-8") != std::string::npos);
    CHECK(refusal(document(record("P1", good_inside())) + "<Payments/>\n").find("an element follows the end of the <Payments> root element") != std::string::npos);
    CHECK(refusal("<Payments>\nSECRET text\n</Payments>\n").find("text outside any <Payment> element") != std::string::npos);
    CHECK(refusal("<Payments>\n<Payment id=\"P1\"><ref>SECRET</ref>\n").find("the document ends inside the element that starts on line 2") != std::string::npos);
}

TEST_CASE("each bad XML record is quarantined without its values; the good ones still come", "[layouts][returns][xml]")
{
    CHECK(only_rejection(record("P1", good_inside() + "<iban>SECRET</iban>")).reason == "field element 4 is not a column of layout 'pay-xml'");
    CHECK(only_rejection("<Payment id=\"P1\" sortcode=\"SECRET\">" + good_inside() + "</Payment>\n").reason == "attribute 2 is not a column of layout 'pay-xml'");
    // A column declared as an element is not read from an attribute, nor the other way.
    CHECK(only_rejection("<Payment ref=\"SECRET\" id=\"P1\">" + good_inside() + "</Payment>\n").reason == "attribute 1 is not a column of layout 'pay-xml'");
    CHECK(only_rejection("<Payment><id>SECRET</id>" + good_inside() + "</Payment>\n").reason == "field element 1 is not a column of layout 'pay-xml'");
    auto const twice = only_rejection(record("P1", good_inside() + "<ref>SECRET</ref>"));
    CHECK(twice.field == "ref");
    CHECK(twice.reason == "appears twice in the record");
    auto const nested = only_rejection(record("P1", "<ref><inner>SECRET</inner></ref><amount>1.00</amount><date>2026-06-01</date>"));
    CHECK(nested.field == "ref");
    CHECK(nested.reason == "the field element contains another element");
    CHECK(only_rejection(record("P1", "<ref note=\"SECRET\">A</ref><amount>1.00</amount><date>2026-06-01</date>")).reason.starts_with("the field element has attributes"));
    CHECK(only_rejection(record("P1", "SECRET" + good_inside())).reason.starts_with("text directly inside <Payment>"));
    CHECK(only_rejection(record("P1", "<ref>SECRET&bogus;</ref><amount>1.00</amount><date>2026-06-01</date>")).reason.starts_with("malformed record: an entity reference other than"));
    CHECK(only_rejection(record("P1", "<ref>SECRET</rf><amount>1.00</amount><date>2026-06-01</date>")).reason.starts_with("malformed record: "));
    auto const utf8 = only_rejection(record("P1", "<ref>SECRET\xc3</ref><amount>1.00</amount><date>2026-06-01</date>"));
    CHECK(utf8.field == "ref");
    CHECK(utf8.reason == "field is not valid UTF-8");
    auto const missing = only_rejection(record("P1", "<amount>1.00</amount><date>2026-06-01</date>"));
    CHECK(missing.field == "ref");
    CHECK(missing.reason == "is empty; the layout marks it required");
    auto const future = only_rejection(record("P1", "<ref>SECRET</ref><amount>1.00</amount><date>2026-07-01</date>"));
    CHECK(future.field == "date");
    CHECK(future.reason == "date lies in the future");
}

TEST_CASE("XML return records are bounded by the field, field count and record limits", "[layouts][returns][xml]")
{
    model::InputLimits limits;
    limits.max_field_bytes = 16;
    limits.max_fields = 5;
    limits.max_record_bytes = 256;
    auto const too_long = only_rejection(record("P1", good_inside("SECRET-SECRET-SECRET")), limits);
    CHECK(too_long.field == "ref");
    CHECK(too_long.reason == "field is longer than 16 bytes");
    CHECK(only_rejection(record("P1", good_inside() + "<note/><note/>"), limits).reason.starts_with("the record has more than 5 attributes and field elements"));
    CHECK(only_rejection(record("P1", good_inside() + "<note>" + std::string(300, 'S') + "SECRET</note>"), limits).reason == "the record is longer than 256 bytes (max_record_bytes)");
    // After an over-long record the reader goes on with the next one.
    auto outcome = read(document(record("P1", "<note>" + std::string(1000, 'x') + "</note>" + good_inside()) + record("P2", good_inside())), limits);
    REQUIRE(outcome.counts.ok());
    CHECK(outcome.counts.value().lines_rejected == 1);
    CHECK(outcome.counts.value().lines_accepted == 1);
    limits.max_file_bytes = 100;
    auto const big = read(document(record("P1", good_inside()) + record("P2", good_inside())), limits);
    REQUIRE_FALSE(big.counts.ok());
    CHECK(big.counts.error().code() == base::ErrorCode::InputTooLarge);
    CHECK(big.counts.error().message().starts_with("returns.xml: the file is larger than the limit of 100 bytes"));
}

TEST_CASE("XML records across the reader's 64 KiB reads keep their values and lines", "[layouts][returns][xml]")
{
    std::string records;
    constexpr int count = 5000; // about 400 KiB: many records straddle a read
    for (int i = 0; i < count; ++i)
        records += record("P" + std::to_string(i), "\n  " + good_inside("A" + std::to_string(i)));
    auto outcome = read(document(records));
    REQUIRE(outcome.counts.ok());
    REQUIRE(outcome.sink.lines.size() == count);
    for (int i = 0; i < count; i += 997) {
        auto const& payment = std::get<model::PaymentLine>(outcome.sink.lines[static_cast<std::size_t>(i)].facts);
        CHECK(payment.payment_id == "P" + std::to_string(i));
        CHECK(payment.account.agency_reference == "A" + std::to_string(i));
        CHECK(outcome.sink.lines[static_cast<std::size_t>(i)].line_number == 3 + 2 * static_cast<std::uint64_t>(i));
    }
}
