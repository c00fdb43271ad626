"""A calendar's store of events, read with the icalendar library.

Imports the .ics files given, in order, as a calendar application does
with a published invitation (RFC 5546 §2.1.5): for one UID it keeps the
version with the highest SEQUENCE, DTSTAMP breaking ties, and ignores an
older one; METHOD:CANCEL marks the event cancelled. Prints, as JSON, what
each file says and what the store holds at the end.
"""
import json
import sys
from datetime import timezone

import icalendar


def text(v):
    return "" if v is None else str(v)


def utc(v):
    dt = v.dt
    if not hasattr(dt, "hour"):
        return dt.strftime("%Y%m%d")
    return dt.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


files, store = [], {}
for path in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    method = text(cal.get("METHOD"))
    events = []
    for ev in cal.walk("VEVENT"):
        e = {
            "uid": text(ev.get("UID")),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "dtstamp": utc(ev.get("DTSTAMP")),
            "status": text(ev.get("STATUS")),
            "summary": text(ev.get("SUMMARY")),
            "start": utc(ev.get("DTSTART")),
            "end": utc(ev.get("DTEND")),
        }
        events.append(e)
        old = store.get(e["uid"])
        newer = old is None or (e["sequence"], e["dtstamp"]) > (old["sequence"], old["dtstamp"])
        e["applied"] = newer
        if not newer:
            continue
        if method == "CANCEL":
            if old is None:
                continue  # nothing to cancel
            store[e["uid"]] = dict(old, sequence=e["sequence"], dtstamp=e["dtstamp"], status="CANCELLED")
        else:
            store[e["uid"]] = {k: v for k, v in e.items() if k != "applied"}
    files.append({"file": path, "prodid": text(cal.get("PRODID")), "method": method, "events": events})
print(json.dumps({"files": files, "store": store}, ensure_ascii=False))
