"""The case ledger's domain: aggregates, value objects and the rules they enforce."""
