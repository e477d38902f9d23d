# The agency return file readers (layouts/return_reader: CSV, JSON Lines and XML).
dcagw_fuzz_target(return_csv dcagw_layouts)
dcagw_fuzz_target(return_jsonl dcagw_layouts)
dcagw_fuzz_target(return_xml dcagw_layouts)
