"""Call records, encrypted transcripts, retention, access control and the audit log."""
