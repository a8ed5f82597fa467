"""The benchmark's yardstick: a view that does one INSERT, on the same stack as the webhook."""
