"""A simulated call on the bus, with the full event sequence the call loop and transfer publish."""

from __future__ import annotations

import time

from safety.bus import Event

CALLER_NUMBER = "+1 (555) 010-4477"
CALLER_EMAIL = "priscilla.quintana@example.org"
CARD = "4111 1111 1111 1111"
# Words a caller says that appear nowhere in the code, the schema or the metadata.
SECRET_WORDS = ["Priscilla", "marmalade", "lighthouse", "Quintana", "tangerine", "wheelbarrow", "Zanzibar"]
CALLER_TURNS = [
    "My sister Priscilla moved to Zanzibar and I feel so alone with the marmalade shop",
    f"You can write to me at {CALLER_EMAIL} or call {CALLER_NUMBER}, card {CARD}",
    "I keep thinking the lighthouse would be a way out, I have a plan for tonight",
]
LINE_REPLIES = [
    "It sounds lonely since Priscilla left. I'm an automated assistant, not a therapist.",
    "Thank you for telling me. I won't need your card or e-mail.",
    "I'm really glad you told me about the lighthouse. I'm bringing in a person now and I'll stay with you.",
]
QUOTE = "I have a plan for tonight at the lighthouse, tangerine wheelbarrow"


async def simulate_call(bus, call_id: str, *, operator: str | None = "alice", delete_content: bool = False,
                        resolve: bool = False, t0: float | None = None, caller: str | None = CALLER_NUMBER,
                        escalate: bool = True) -> str:
    """Publish a whole call. Returns the escalation id (or "")."""
    t = t0 if t0 is not None else time.time()
    esc = f"{call_id}-e1" if escalate else ""

    async def pub(name: str, data: dict) -> None:
        nonlocal t
        t += 0.5
        await bus.publish(Event(name, call_id, data, ts=t))

    await pub("call.started", {"transport": "twilio", "caller": caller, "provider_call_sid": "CA" + "ab" * 16})
    for i, (said, reply) in enumerate(zip(CALLER_TURNS, LINE_REPLIES, strict=True), start=1):
        await pub("call.transcript", {"text": said[: len(said) // 2], "final": False, "turn": i})
        await pub("risk.assessed", {"turn": i, "final": False, "text": said[: len(said) // 2], "level": "none",
                                    "kind": "none", "signals": [], "call_level": "none", "call_kind": "none",
                                    "action": "continue"})
        await pub("call.transcript", {"text": said, "final": True, "turn": i})
        level = "high" if i == 3 and escalate else "none"
        await pub("risk.assessed", {"turn": i, "final": True, "text": said, "level": level,
                                    "kind": "suicide" if level != "none" else "none",
                                    "signals": ["plan"] if level != "none" else [], "call_level": level,
                                    "call_kind": "suicide" if level != "none" else "none",
                                    "action": "warm_transfer" if level != "none" else "continue"})
        if i == 3 and escalate:
            await pub("escalation.opened", {"escalation_id": esc, "level": "high", "kind": "suicide",
                                            "action": "warm_transfer", "signals": ["plan", "timeframe"],
                                            "quotes": [[t, QUOTE]]})
            await pub("transfer.ringing", {"escalation_id": esc, "target": "console", "attempt": 1})
            if operator:
                await pub("transfer.connected", {"escalation_id": esc, "target": "console", "operator": operator})
            else:
                await pub("transfer.failed", {"escalation_id": esc, "target": "console", "reason": "no-answer"})
        await pub("call.reply", {"text": reply, "turn": i,
                                 "timings": {"endpoint_ms": 300, "asr_ms": 280, "risk_ms": 2, "dialogue_ms": 5,
                                             "tts_first_ms": 130, "total_ms": 717}})
    if resolve and escalate:
        await pub("escalation.resolved", {"escalation_id": esc, "outcome": "safety_plan",
                                          "notes": "Talked through Priscilla and the lighthouse", "operator": operator})
    await pub("call.ended", {"reason": "hangup", "duration_s": 42.0, "delete_content": delete_content})
    return esc
