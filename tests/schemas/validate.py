#!/usr/bin/python3
"""Validates JSON documents against the project's JSON Schemas with a real validator.

Usage: validate.py SCHEMA_DIR [--check-schemas] [SCHEMA_NAME INSTANCE_FILE [--jsonl [--may-fail N,N...] | --refused]]...

Debian 12's python3-jsonschema (4.10) implements draft 2020-12. Every schema in
SCHEMA_DIR is first checked against its metaschema (--check-schemas); then each
(schema, instance) pair is validated. An instance file with --jsonl holds one document
per line; --may-fail names the lines that dcagw itself refused (quarantined), which the
schema may refuse too: a schema describes what the tool accepts, so every line it refuses
must be one of them. --refused names a document that dcagw refuses (e.g. a mapping that
`config check` rejects): the schema must refuse it too. Prints one line per document and
exits 1 if any failed.
"""
import json
import pathlib
import sys

import jsonschema


def load_schemas(schema_dir):
    schemas = {}
    for path in sorted(pathlib.Path(schema_dir).glob("*.schema.json")):
        schemas[path.name] = json.loads(path.read_text(encoding="utf-8"))
    return schemas


def validator_for(schemas, name):
    schema = schemas[name]
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def report(label, errors):
    if not errors:
        print(f"ok   {label}")
        return 0
    print(f"FAIL {label}: {len(errors)} error(s)")
    for error in errors[:10]:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        print(f"     at {where}: {error.message[:300]}")
    return 1


def main(argv):
    schema_dir = argv[1]
    schemas = load_schemas(schema_dir)
    arguments = argv[2:]
    failures = 0
    if arguments and arguments[0] == "--check-schemas":
        arguments = arguments[1:]
        for name, schema in schemas.items():
            cls = jsonschema.validators.validator_for(schema)
            try:
                cls.check_schema(schema)
                print(f"ok   schema {name} is a valid {cls.__name__} schema")
            except jsonschema.exceptions.SchemaError as error:
                print(f"FAIL schema {name}: {error.message}")
                failures += 1
    index = 0
    while index < len(arguments):
        name, instance_path = arguments[index], arguments[index + 1]
        index += 2
        lines = index < len(arguments) and arguments[index] == "--jsonl"
        if lines:
            index += 1
        may_fail = set()
        refused = index < len(arguments) and arguments[index] == "--refused"
        if refused:
            index += 1
        if index < len(arguments) and arguments[index] == "--may-fail":
            may_fail = {int(number) for number in arguments[index + 1].split(",") if number}
            index += 2
        if name not in schemas:
            print(f"FAIL {instance_path}: no schema {name}")
            failures += 1
            continue
        validator = validator_for(schemas, name)
        text = pathlib.Path(instance_path).read_text(encoding="utf-8")
        documents = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()] if lines else [(0, text)]
        for number, document in documents:
            label = f"{instance_path}{':' + str(number) if lines else ''} against {name}"
            try:
                instance = json.loads(document)
            except json.JSONDecodeError as error:
                print(f"FAIL {label}: not JSON: {error}")
                failures += 1
                continue
            errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
            if refused:
                if errors:
                    print(f"ok   {label}: refused, as dcagw refuses it ({errors[0].message[:120]})")
                else:
                    print(f"FAIL {label}: accepted, but dcagw refuses it")
                    failures += 1
                continue
            if errors and number in may_fail:
                print(f"ok   {label}: refused, as dcagw refused it ({errors[0].message[:120]})")
                continue
            failures += report(label, errors)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
