"""Who is at risk and getting them to a human: risk detection, escalation, warm transfer, the operator
console, records and privacy. Never imports `voice` (see docs/architecture.md)."""
