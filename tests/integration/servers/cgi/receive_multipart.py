#!/usr/bin/env python3
# A tiny CGI program behind Apache httpd for the transport tests: receives one
# multipart/form-data POST (the gateway's upload_method "multipart_post") and publishes
# its "file" part under the part's file name in the folder named by DCAGW_POSTED, never
# replacing a file (409), as an agency's upload endpoint would.
import email.parser
import email.policy
import os
import sys


def answer(status, text):
    sys.stdout.write(f"Status: {status}\r\nContent-Type: text/plain\r\n\r\n{text}\n")
    sys.exit(0)


length = int(os.environ.get("CONTENT_LENGTH") or "0")
if length > 512 << 20:
    answer("413 Payload Too Large", "too large")
# Read the whole request body first, whatever the method: Apache cuts the answer short
# when a CGI program leaves the body unread.
body = sys.stdin.buffer.read(length)
if os.environ.get("REQUEST_METHOD") != "POST":
    answer("405 Method Not Allowed", "POST only")
content_type = os.environ.get("CONTENT_TYPE", "")
if not content_type.startswith("multipart/form-data"):
    answer("415 Unsupported Media Type", "multipart/form-data only")
message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
    b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
folder = os.environ["DCAGW_POSTED"]
for part in message.iter_parts():
    if part.get_param("name", header="content-disposition") != "file":
        continue
    name = part.get_filename() or ""
    if not name or "/" in name or name.startswith("."):
        answer("400 Bad Request", "bad file name")
    final = os.path.join(folder, name)
    temporary = os.path.join(folder, ".receiving-" + str(os.getpid()))
    with open(temporary, "wb") as out:
        out.write(part.get_payload(decode=True))
    try:
        os.link(temporary, final)  # never replaces
    except FileExistsError:
        answer("409 Conflict", "exists")
    finally:
        os.unlink(temporary)
    answer("201 Created", "stored")
answer("400 Bad Request", "no file part")
