"""Telephony transports: one module (and one serializer) per way a caller reaches the line."""
