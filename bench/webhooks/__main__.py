import sys

from bench.webhooks.runner import main

sys.exit(main())
