"""The security audit log (等保 安全审计): an append-only hash chain of who did what."""
