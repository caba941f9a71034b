"""Writes fraud-check's log with the real structlog: JSONRenderer with add_log_level, a
timestamp processor, StackInfoRenderer and format_exc_info, the span's ids bound on the logger.
Its one error is a real exception, raised and logged with log.exception(), so the traceback is
Python's own, rendered by structlog's format_exc_info.

Usage (run.mjs does this, with Debian's /usr/bin/python3):
    python3 fraud_check.py entries.jsonl fraud-check.log

The entries are what shop.mjs recorded, in file order. structlog's TimeStamper reads the wall
clock and takes no other, so the timestamp processor here stamps the scenario's time in exactly
TimeStamper(fmt="iso", utc=True)'s form.
"""

import datetime
import json
import sys

import structlog

from fraud.api import score
from fraud.features import FeatureStore, FeatureStoreUnavailable

clock_us = 0


def scenario_timestamper(_logger, _method, event_dict):
    """TimeStamper(fmt="iso", utc=True)'s output (isoformat with "+00:00" as "Z"), at the scenario's time."""
    now = datetime.datetime.fromtimestamp(clock_us / 1e6, tz=datetime.timezone.utc)
    event_dict["timestamp"] = now.isoformat().replace("+00:00", "Z")
    return event_dict


def main():
    global clock_us
    entries_path, out_path = sys.argv[1], sys.argv[2]
    out = open(out_path, "w")
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            scenario_timestamper,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.WriteLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
    for text in open(entries_path):
        entry = json.loads(text)
        clock_us = entry["clockUs"]
        if entry["kind"] != "log":
            raise SystemExit(f"fraud_check.py: unknown entry kind {entry['kind']}")
        log = structlog.get_logger().bind(**entry["ids"])
        fields = dict(entry["fields"])
        level = entry["level"]
        err = entry.get("err")
        if err and err["kind"] == "feature-store-unavailable":
            try:
                score(FeatureStore(err["addr"]), fields.get("customer_id"))
            except FeatureStoreUnavailable:
                log.exception(entry["msg"], **fields)
        elif err:
            raise SystemExit(f"fraud_check.py: unknown error kind {err['kind']}")
        else:
            getattr(log, level)(entry["msg"], **fields)
    out.close()


if __name__ == "__main__":
    main()
