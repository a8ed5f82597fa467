"""The test settings' sign-in backend (fundraising/settings/test.py)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class TestClientAxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, except for Django's test client, which calls
    `authenticate()` without a request: there is no client to throttle there."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
