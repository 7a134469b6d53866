"""The edges: HTTP API, CLI and web pages."""
