"""`make bench-webhooks`: Stripe webhooks acknowledged and processed (see runner.py)."""
