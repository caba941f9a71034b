"""The Python entries of the format zoo: the one zoo scenario (three nested spans in three
services, the grandchild failing), logged by structlog or python-json-logger. Every log line is
written by the library; truth.json is this program's own record of the spans it ran.

Usage (run.sh does this, with Debian's /usr/bin/python3):
    python3 zoo.py structlog corpus/zoo/structlog
    python3 zoo.py python-json-logger corpus/zoo/python-json-logger
"""

import importlib.metadata
import json
import logging
import os
import platform
import secrets
import sys
import time

SPANS = [
    {"service": "api-gateway", "name": "POST /api/checkout", "method": "POST", "url": "/api/checkout", "kind": "server"},
    {"service": "order-service", "name": "POST /v1/orders", "method": "POST", "url": "/v1/orders", "kind": "server"},
    {"service": "payment-service", "name": "POST /v1/charges", "method": "POST", "url": "/v1/charges", "kind": "server"},
]

# Wall-clock nanoseconds: time.time_ns() anchored once, then the monotonic clock.
_ANCHOR_WALL = time.time_ns()
_ANCHOR_MONO = time.perf_counter_ns()


def now_ns():
    return _ANCHOR_WALL + (time.perf_counter_ns() - _ANCHOR_MONO)


class AcquirerTimeoutError(Exception):
    pass


def call_acquirer(amount_cents):
    raise AcquirerTimeoutError(f"acquirer did not answer within 3 ms (amount {amount_cents})")


def charge_card():
    try:
        call_acquirer(4999)
    except AcquirerTimeoutError as err:
        return err
    return None


def run_scenario(adapter):
    trace_id = secrets.token_hex(16)
    spans = []

    def run(level, parent):
        span = dict(SPANS[level], trace_id=trace_id, span_id=secrets.token_hex(8),
                    parent_span_id=parent["span_id"] if parent else None, status=200, err=None)
        spans.append(span)
        span["start"] = now_ns()
        adapter.start(span)
        time.sleep(0.002)
        if level < len(SPANS) - 1:
            run(level + 1, span)
            time.sleep(0.001)
        else:
            time.sleep(0.003)
            span["err"] = charge_card()
            span["status"] = 500
        span["end"] = now_ns()
        adapter.end(span, (span["end"] - span["start"]) / 1e6)

    run(0, None)
    return spans


# ---------------------------------------------------------------------------------------------
# structlog


class StructlogAdapter:
    def __init__(self, path):
        import structlog

        self.file = open(path, "w")
        structlog.configure(
            processors=[
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso"),
                structlog.processors.StackInfoRenderer(),
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
            logger_factory=structlog.WriteLoggerFactory(file=self.file),
            cache_logger_on_first_use=False,
        )
        self.structlog = structlog

    def log(self, span):
        ids = {"service": span["service"], "trace_id": span["trace_id"], "span_id": span["span_id"]}
        if span["parent_span_id"]:
            ids["parent_span_id"] = span["parent_span_id"]
        return self.structlog.get_logger().bind(**ids)

    def start(self, span):
        self.log(span).info("request received", method=span["method"], path=span["url"])

    def end(self, span, duration_ms):
        fields = dict(method=span["method"], path=span["url"], status=span["status"],
                      duration_ms=round(duration_ms, 3))
        if span["err"] is not None:
            self.log(span).error("request completed", exc_info=span["err"], **fields)
        else:
            self.log(span).info("request completed", **fields)

    def close(self):
        self.file.close()


# ---------------------------------------------------------------------------------------------
# python-json-logger


class JsonLoggerAdapter:
    def __init__(self, path):
        from pythonjsonlogger import jsonlogger

        self.handler = logging.FileHandler(path, mode="w")
        self.handler.setFormatter(jsonlogger.JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        for s in SPANS:
            logger = logging.getLogger(s["service"])
            logger.setLevel(logging.INFO)
            logger.addHandler(self.handler)
            logger.propagate = False

    def extra(self, span, **more):
        ids = {"trace_id": span["trace_id"], "span_id": span["span_id"]}
        if span["parent_span_id"]:
            ids["parent_span_id"] = span["parent_span_id"]
        return dict(ids, method=span["method"], path=span["url"], **more)

    def start(self, span):
        logging.getLogger(span["service"]).info("request received", extra=self.extra(span))

    def end(self, span, duration_ms):
        extra = self.extra(span, status=span["status"], duration_ms=round(duration_ms, 3))
        logger = logging.getLogger(span["service"])
        if span["err"] is not None:
            err = span["err"]
            logger.error("request completed", exc_info=(type(err), err, err.__traceback__), extra=extra)
        else:
            logger.info("request completed", extra=extra)

    def close(self):
        self.handler.close()


DESCRIPTIONS = {
    "structlog": (
        "structlog {v}: JSONRenderer with add_log_level, TimeStamper(fmt=\"iso\") (`timestamp`, UTC, µs), "
        "StackInfoRenderer, format_exc_info; message in `event`, level in `level`; service in `service`, "
        "`trace_id`, `span_id`, `parent_span_id` (none at the root) via bind(); end line \"request completed\": "
        "`status`, duration `duration_ms` (ms, float); error: exc_info=err on the error-level end line, "
        "rendered by format_exc_info as `exception` (the whole Python traceback as one string)."
    ),
    "python-json-logger": (
        "python-json-logger {v}: jsonlogger.JsonFormatter(\"%(asctime)s %(levelname)s %(name)s %(message)s\") "
        "on a stdlib logging.FileHandler: NO service field, each service logs through "
        "logging.getLogger(\"<service>\"), so `name` is the service (Python's convention); `asctime` is "
        "logging's default \"YYYY-MM-DD HH:MM:SS,mmm\" in local time WITHOUT a zone (the generator ran in "
        "UTC); level in `levelname`; `trace_id`, `span_id`, `parent_span_id` (none at the root) via "
        "extra={{...}}; end line \"request completed\": `status`, duration `duration_ms` (ms, float); error: "
        "exc_info on the ERROR end line → `exc_info` (the whole Python traceback as one string)."
    ),
}

PACKAGES = {"structlog": "structlog", "python-json-logger": "python-json-logger"}


def main():
    lib, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    log_path = os.path.join(out, f"{lib}.log")
    adapter = StructlogAdapter(log_path) if lib == "structlog" else JsonLoggerAdapter(log_path)
    spans = run_scenario(adapter)
    adapter.close()
    version = importlib.metadata.version(PACKAGES[lib])

    truth_spans = [
        {
            "spanId": s["span_id"],
            "parentSpanId": s["parent_span_id"],
            "service": s["service"],
            "name": s["name"],
            "kind": s["kind"],
            "startUnixNano": str(s["start"]),
            "endUnixNano": str(s["end"]),
            "durationMs": (s["end"] - s["start"]) / 1e6,
            "status": "ERROR" if s["err"] is not None else "UNSET",
            "httpStatus": s["status"],
            "error": s["err"] is not None,
            "warning": False,
            "logged": True,
        }
        for s in spans
    ]
    truth = {
        "corpus": "zoo",
        "generator": "corpus/generators/zoo-debian/python/zoo.py",
        "libraries": {PACKAGES[lib]: version, "python": platform.python_version()},
        "traces": [{"traceId": spans[0]["trace_id"], "scenario": "grandchild-failure", "spans": truth_spans}],
    }
    variant = {
        "variant": lib,
        "description": DESCRIPTIONS[lib].format(v=version)
        + " Three services in one process (api-gateway → order-service → payment-service), all writing to "
        "one file, so a service can only come from the line. root POST /api/checkout → child POST "
        "/v1/orders → grandchild POST /v1/charges, which fails (AcquirerTimeoutError, 500).",
        "skew": [],
        "damagedLines": 0,
        "expect": {"parents": "explicit"},
        "serviceFrom": "field" if lib == "structlog" else "logger-name",
    }
    for name, obj in (("truth.json", truth), ("variant.json", variant)):
        with open(os.path.join(out, name), "w") as f:
            json.dump(obj, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
