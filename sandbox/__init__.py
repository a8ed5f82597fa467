"""An offline, stateful stand-in for the part of Stripe's API that Gotong uses.

Served over HTTP on 127.0.0.1 by the standard library, spoken to by the official ``stripe``
library unchanged (``StripeClient(key, base_addresses={"api": url})``). It knows nothing of
Django or the project's apps: it is used only for development, the demo and the tests.

Run it with ``python -m sandbox --port 12111`` or in-process with ``sandbox.server.start()``.
See ``sandbox/README.md`` for the test cards and the test-helper endpoints.
"""

from sandbox.cards import ASYNC_CARD, DECLINE_CARD, SUCCESS_CARD

__all__ = ["ASYNC_CARD", "DECLINE_CARD", "SUCCESS_CARD"]
