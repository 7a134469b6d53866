"""Read models: ledgers, progress, accountability and the audit log, built from the events."""
