# The case export readers (codec/case_reader): one target per input format.
dcagw_fuzz_target(case_csv dcagw_codec)
dcagw_fuzz_target(case_jsonl dcagw_codec)
dcagw_fuzz_target(case_xml dcagw_codec)
