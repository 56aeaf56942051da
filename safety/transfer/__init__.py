"""Warm transfer to a human: the state machine, the handoff brief and the human-line adapters."""
