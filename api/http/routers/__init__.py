"""One router per resource, mounted in one place (``api.http.app``)."""
