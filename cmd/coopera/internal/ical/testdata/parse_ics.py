"""An independent RFC 5545 reader for the tests, standard library only.

Reads an .ics file, checks the octet-level rules (CRLF line ends, at most
75 octets a line, UTF-8), unfolds, splits every content line into name,
parameters and value, unescapes TEXT values, and prints the components as
JSON. DTSTART/DTEND with TZID are also converted to UTC with zoneinfo, as a
calendar application would.
"""
import json
import sys
from datetime import datetime, timezone

raw = open(sys.argv[1], "rb").read()
errors = []
if not raw.endswith(b"\r\n"):
    errors.append("file does not end with CRLF")
physical = raw.split(b"\r\n")[:-1]
for i, line in enumerate(physical, 1):
    if b"\n" in line or b"\r" in line:
        errors.append("line %d: bare CR or LF" % i)
    if len(line) > 75:
        errors.append("line %d: %d octets" % (i, len(line)))
text = raw.decode("utf-8")
logical = []
for line in text.split("\r\n")[:-1]:
    if line[:1] in (" ", "\t"):
        logical[-1] += line[1:]
    else:
        logical.append(line)


def split(line):
    # name *(";" param) ":" value, with quoted parameter values.
    i, quoted = 0, False
    while i < len(line):
        c = line[i]
        if c == '"':
            quoted = not quoted
        elif c == ":" and not quoted:
            break
        i += 1
    head, value = line[:i], line[i + 1:]
    parts, cur, quoted = [], "", False
    for c in head:
        if c == '"':
            quoted = not quoted
        if c == ";" and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.upper()] = v.strip('"')
    return parts[0].upper(), params, value


def unescape(v):
    out, i = "", 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            n = v[i + 1]
            out += "\n" if n in "nN" else n
            i += 2
        else:
            out += v[i]
            i += 1
    return out


TEXT = {"SUMMARY", "DESCRIPTION", "LOCATION", "TZNAME", "UID", "X-WR-CALNAME", "PRODID", "STATUS"}
root = {"name": "ROOT", "props": [], "children": []}
stack = [root]
for line in logical:
    name, params, value = split(line)
    if name == "BEGIN":
        c = {"name": value, "props": [], "children": []}
        stack[-1]["children"].append(c)
        stack.append(c)
        continue
    if name == "END":
        if stack[-1]["name"] != value:
            errors.append("END:%s closes %s" % (value, stack[-1]["name"]))
        stack.pop()
        continue
    prop = {"name": name, "params": params, "value": unescape(value) if name in TEXT else value}
    if name in ("DTSTART", "DTEND") and "TZID" in params:
        try:
            from zoneinfo import ZoneInfo
            local = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(params["TZID"]))
            prop["utc"] = local.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        except Exception as e:  # no tz database: the Go side skips the check
            prop["utc_error"] = str(e)
    stack[-1]["props"].append(prop)
if len(stack) != 1:
    errors.append("unclosed components")
print(json.dumps({"errors": errors, "components": root["children"]}, ensure_ascii=False))
