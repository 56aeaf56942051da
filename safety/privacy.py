"""Privacy helpers: pseudonymous caller ids, display masking, and log redaction.

Transcript text never belongs in a log line (callers must not log it in the first place; the
recorder and the console never do). What a regular expression *can* catch - phone numbers, e-mail
addresses, card-like numbers - is scrubbed from every log record by ``install_log_redaction()``,
as a second line of defence.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Mapping
from typing import Any

# --- caller ids -------------------------------------------------------------------------------


def normalize_number(number: str) -> str:
    """Digits only, keeping a leading ``+``: "+1 (555) 010-4477" -> "+15550104477"."""
    s = number.strip()
    digits = re.sub(r"\D", "", s)
    return ("+" if s.startswith("+") else "") + digits if digits else s.lower()


def hash_caller_id(number: str, salt: str) -> str:
    """A stable pseudonym for a caller id: HMAC-SHA256 under a secret salt (hex).

    Phone numbers are a small space, so a plain hash could be reversed by trying them all; the
    keyed HMAC cannot be without the salt. The number is normalised first so that formatting
    differences between transports map to the same caller.
    """
    if not salt:
        raise ValueError("hash_caller_id needs a non-empty secret salt")
    return hmac.new(salt.encode(), normalize_number(number).encode(), hashlib.sha256).hexdigest()


def mask_number(number: str | None, keep: int = 2) -> str:
    """For display: "+15550104477" -> "+•••••••••77". Only the last ``keep`` digits show."""
    if not number:
        return "unknown"
    n = normalize_number(number)
    plus = "+" if n.startswith("+") else ""
    digits = n.lstrip("+")
    if not digits.isdigit():
        return "•" * min(len(digits), 8)
    if len(digits) <= keep + 3:
        return plus + "•" * len(digits)
    return plus + "•" * (len(digits) - keep) + digits[-keep:]


# --- log redaction ------------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# A run of digits with common separators; whether it is a phone or card number is decided by
# counting its digits (see _number), so dates (2024-05-01) and times stay readable.
_NUMBERISH = re.compile(r"(?<![\w.])\+?\(?\d[\d ().\-/]{4,24}\d(?![\w])")
_LOCAL_PHONE = re.compile(r"^\(?\d{3}\)?[ .-]\d{3,4}([ .-]\d{4})?$")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SIP_USER = re.compile(r"(sips?:)\+?[\w.\-]+@", re.IGNORECASE)
# URL-encoded "+", "@", ":" and " " (a query string in an access log line) hide numbers and
# addresses from the patterns above: decoded first.
_URL_ESCAPE = re.compile(r"%(2B|40|3A|20)", re.IGNORECASE)
_URL_CHARS = {"2B": "+", "40": "@", "3A": ":", "20": " "}


def _number(m: re.Match[str]) -> str:
    s = m.group(0)
    if _DATE.search(s):  # 2024-05-01 12:34 is a time stamp, not a number to hide
        return s
    digits = sum(c.isdigit() for c in s)
    if 13 <= digits <= 19 and not s.startswith("+"):
        return "[card]" if digits >= 15 or re.fullmatch(r"[\d -]+", s) else "[number]"
    if s.startswith("+") and 7 <= digits <= 15:
        return "[phone]"
    if 9 <= digits <= 15:
        return "[phone]"
    if 7 <= digits <= 8 and _LOCAL_PHONE.match(s):
        return "[phone]"
    return s


def redact(text: str) -> str:
    """Scrub e-mail addresses, SIP users, phone numbers and card-like numbers from ``text``."""
    if not text:
        return text
    text = _URL_ESCAPE.sub(lambda m: _URL_CHARS[m.group(1).upper()], text)
    text = _SIP_USER.sub(r"\1[user]@", text)
    text = _EMAIL.sub("[email]", text)
    return _NUMBERISH.sub(_number, text)


def _redact_arg(a: Any) -> Any:
    return redact(a) if isinstance(a, str) else a


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and any formatted traceback) with ``redact``. Never drops.

    Where the scrubbed arguments still render a clean message, the record keeps its format string and
    (scrubbed) arguments, because some formatters read ``record.args`` themselves (uvicorn's access
    log unpacks five of them). Otherwise the message is rendered, scrubbed and the arguments dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_warmline_redacted", False):
            return True
        if not self._scrub_arguments(record):
            try:
                msg = record.getMessage()
            except Exception:  # a bad format string: keep the raw parts, scrubbed
                msg = f"{record.msg} {record.args!r}"
            record.msg = redact(msg)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._warmline_redacted = True
        return True

    @staticmethod
    def _scrub_arguments(record: logging.LogRecord) -> bool:
        """Scrub each argument in place; False when that is not enough (personal data in the format string
        itself, or only visible once rendered)."""
        args = record.args
        if not args or not isinstance(record.msg, str):
            return False
        if isinstance(args, tuple):
            scrubbed: Any = tuple(_redact_arg(a) for a in args)
        elif isinstance(args, Mapping):
            scrubbed = {k: _redact_arg(v) for k, v in args.items()}
        else:
            return False
        template = record.msg
        if redact(template) != template:  # personal data in the format string itself (an f-string)
            return False
        try:
            rendered = template % scrubbed
        except Exception:
            return False
        # A number split over two arguments, or passed as an int, only shows once rendered.
        if redact(rendered) != rendered:
            return False
        record.msg, record.args = template, scrubbed
        return True


_installed_factory = False
_FILTER = RedactingFilter()


def install_log_redaction() -> RedactingFilter:
    """Scrub personal data from every log record, whichever handler emits it.

    The filter goes on the root logger's handlers (as asked) and, because handlers added later or
    loggers that do not propagate (uvicorn's) would escape that, also into the log-record factory,
    so every record is scrubbed when it is created. Idempotent.
    """
    global _installed_factory
    root = logging.getLogger()
    for h in root.handlers:
        if _FILTER not in h.filters:
            h.addFilter(_FILTER)
    if not _installed_factory:
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _FILTER.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed_factory = True
    return _FILTER


def caller_salt(settings: Any = None) -> str:
    """The secret salt for ``hash_caller_id``: ``WARMLINE_CALLER_ID_SALT`` when set, otherwise a
    random salt kept in the records database, wrapped by the master key (so it survives
    ``warmline keys rotate``)."""
    from safety.settings import get_settings

    settings = settings or get_settings()
    if settings.caller_id_salt:
        return settings.caller_id_salt
    from safety.records.service import get_records

    return get_records(settings).caller_salt()
