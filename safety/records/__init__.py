"""Call records, encrypted transcripts, retention, access control and the audit log.

``setup(runtime)`` registers a ``Records`` service as ``runtime.services["records"]``: it migrates
the database to the latest schema, checks the master key, and (once the runtime starts) runs the
Recorder that writes bus events to the database in the background, plus the daily purge.
Useful attributes for other parts: ``.memory`` (a ``DbMemoryStore`` for the dialogue manager),
``.caller_key(number)`` (the caller pseudonym for opt-in memory), ``.recorder.stats()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safety.records.service import Records
    from safety.runtime import SafetyRuntime


def setup(runtime: SafetyRuntime) -> Records:
    from safety.privacy import install_log_redaction
    from safety.records.service import Records

    install_log_redaction()
    records = Records(runtime.settings, bus=runtime.bus, runtime=runtime)
    runtime.services["records"] = records
    return records
