"""The bottom layer: what every part of the service may use (see DEVELOPERS.md)."""
