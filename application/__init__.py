"""Use cases of the case ledger, shared by the HTTP API, the CLI and the web pages."""
