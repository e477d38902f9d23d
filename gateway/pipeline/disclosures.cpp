// The placement run's audit entries: what a sealed output file disclosed, to whom and
// under which agreement (docs/audit.md, "The disclosure entry and crash safety").
#include "gateway/audit/journal.hpp"
#include "gateway/pipeline/agency_output.hpp"

namespace dcagw::pipeline {

base::Result<void> record_disclosure(audit::Journal& journal, audit::SubjectRecorder& subjects, model::AgencyConfig const& agency,
    AgencyOutput const& output, std::vector<std::string> const& fields, std::int64_t run)
{
    auto const list = output.primary_batch();
    auto const [count, digest] = subjects.finish_list(list);
    for (auto const& file : output.files()) {
        audit::Disclosure const disclosure { .agency = agency.id, .purpose = agency.purpose, .lawful_basis = agency.lawful_basis,
            .agreement_reference = agency.agreement_reference, .agreement_version = agency.agreement_version, .fields = fields,
            .record_count = output.rows(), .file_name = file.file_name, .plaintext_sha256 = output.plaintext_sha256_hex(),
            .ciphertext_sha256 = file.sha256, .ciphertext_bytes = file.size_bytes, .encryption = file.encryption,
            .recipients = file.recipients, .subject_list = list, .subject_count = count, .subject_digest = digest, .run = run };
        TRY(journal.record_disclosure(disclosure));
    }
    return {};
}

} // namespace dcagw::pipeline
