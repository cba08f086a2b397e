"""One log record per request, with a request id that follows it across services.

The id comes from the ``X-Request-ID`` header when a proxy (an ingress, a load
balancer) already gave the request one, so its log lines and ours can be joined;
otherwise it is made here. It is sent back on the response either way. With
``DJANGO_LOG_FORMAT=json`` the records are JSON lines on stdout (settings.LOGGING).
"""

import json
import logging
import os
import re
import time

logger = logging.getLogger("mspt3.request")

# A proxy's id is kept only if it is short and plain, so a client cannot forge log lines with it.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    # 128 random bits as 32 hex digits, as uuid4().hex was, without building a UUID object.
    return given if given and _ACCEPTED_ID.fullmatch(given) else os.urandom(16).hex()


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if not logger.isEnabledFor(logging.INFO):  # production's DJANGO_LOG_LEVEL=ERROR: no record to build
            return response
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "request_id": request.request_id,
            },
        )
        return response


# Attributes every LogRecord has; anything else on a record was passed as ``extra``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, its extra fields, the traceback."""

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)

    converter = time.gmtime
