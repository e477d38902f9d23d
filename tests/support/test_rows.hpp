// Test helper: a canonical export row held in owned strings, handed out as a RawRecord
// whose views point into it (as a reader's would). Starts as a valid, placeable case.
#pragma once

#include "gateway/model/case_record.hpp"

#include <array>
#include <string>

namespace dcagw::test {

class TestRow {
public:
    TestRow()
    {
        using model::CaseField;
        m_present.fill(true);
        set(CaseField::account_ref, "ACC-1001");
        set(CaseField::person_ref, "P-1");
        set(CaseField::party_role, "lead");
        set(CaseField::debt_type, "FTA");
        set(CaseField::balance_pence, "125000");
        set(CaseField::principal_pence, "120000");
        set(CaseField::charges_pence, "5000");
        set(CaseField::due_date, "2022-03-01");
        set(CaseField::title, "Ms");
        set(CaseField::first_name, "Jane");
        set(CaseField::last_name, "Jones");
        set(CaseField::date_of_birth, "1980-05-17");
        set(CaseField::email, "jane@example.org");
        set(CaseField::address_line1, "1 High Street");
        set(CaseField::town, "Cardiff");
        set(CaseField::postcode, "CF10 1AA");
        set(CaseField::vulnerable, "N");
        set(CaseField::breathing_space, "NONE");
        set(CaseField::deceased, "N");
        set(CaseField::insolvency, "NONE");
        set(CaseField::dispute, "N");
        set(CaseField::complaint_open, "N");
        set(CaseField::mental_capacity_concern, "N");
        m_file = "export.csv";
        m_line = 7;
    }

    TestRow& set(model::CaseField field, std::string value)
    {
        m_text[model::index_of(field)] = std::move(value);
        m_present[model::index_of(field)] = true;
        return *this;
    }

    TestRow& absent(model::CaseField field)
    {
        m_text[model::index_of(field)].clear();
        m_present[model::index_of(field)] = false;
        return *this;
    }

    // The views stay valid while this TestRow lives and is not changed.
    model::RawRecord const& raw()
    {
        m_raw.location.file = m_file;
        m_raw.location.line = m_line;
        for (std::size_t i = 0; i < model::case_field_count; ++i) {
            m_raw.values[i] = m_text[i];
            m_raw.present[i] = m_present[i];
        }
        return m_raw;
    }

private:
    std::array<std::string, model::case_field_count> m_text {};
    std::array<bool, model::case_field_count> m_present {};
    std::string m_file;
    std::uint64_t m_line { 0 };
    model::RawRecord m_raw;
};

} // namespace dcagw::test
