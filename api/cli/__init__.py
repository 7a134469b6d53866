"""The ``rectify`` command line."""
