"""Builders and state changes of the Stripe objects the sandbox keeps, one module per area."""
