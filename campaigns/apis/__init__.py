"""The campaigns app's HTTP API (one view per operation)."""
