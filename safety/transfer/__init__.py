"""Warm transfer to a human: the state machine, the handoff brief and the human-line adapters.

``setup(runtime)`` registers the ``TransferManager`` as ``runtime.services["transfers"]`` (with the
Twilio adapter when Twilio credentials are configured) and the console's live state as
``runtime.services["console"]``.
"""

from __future__ import annotations

from typing import Any


def setup(runtime: Any) -> Any:
    from safety.transfer.manager import TransferManager

    manager = TransferManager(runtime)
    settings = runtime.settings
    if settings.twilio_account_sid and settings.twilio_auth_token:
        from safety.transfer.adapters.twilio import TwilioAdapter

        manager.register_adapter(TwilioAdapter(manager))
    runtime.services["transfers"] = manager
    from safety.console.live import LiveState

    runtime.services.setdefault("console", LiveState(runtime))
    return manager
