# The case export readers (cases/case_reader): one target per input format.
dcagw_fuzz_target(case_csv dcagw_cases)
dcagw_fuzz_target(case_jsonl dcagw_cases)
dcagw_fuzz_target(case_xml dcagw_cases)
