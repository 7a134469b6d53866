"""Settings, persistence wiring, credentials, logging and the composition root."""
