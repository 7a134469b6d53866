from bench.run import main
from infrastructure.logging import configure_logging

configure_logging(log_format="console", level="warning")  # the bench's progress lines only
raise SystemExit(main())
