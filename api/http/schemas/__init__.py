"""Request and response schemas: ``XCreate`` in, ``XRead`` / ``XPage`` out."""
