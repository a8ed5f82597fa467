"""The OpenAPI schema's answers for the refusals every operation can give.

A view documents what it does (its success, and the refusals of its own rules: a 409 for a
closed period, a 429 for the donation limit). The answers the stack gives on any route are
added here, once, so the schema describes every status a client can meet:

- 400: a NUL character in the address or the query (common.middleware), a malformed body
  or query;
- 401: a token that is wrong, expired or revoked is refused even on a public route;
- 403: a write without the CSRF token of a signed-in session, or a role the view refuses;
- 404: an unknown `?format=` or `?page=`, or the object the address names;
- 413 and 415: a body too large (common.middleware) or of a type the view does not parse.

All of them in the API's error shape (`common.api.ErrorOut`).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly

from common.api import ErrorOut

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
EVERY_OPERATION = ("400", "401", "404")
WITH_A_BODY = ("413", "415")
# Permissions that let every caller read: a GET behind only these is never a 403.
OPEN_TO_READ = (AllowAny, IsAuthenticatedOrReadOnly)


class GotongAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with the refusals every operation can give."""

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = list(EVERY_OPERATION)
        if self.method in UNSAFE or not self._open_to_read():
            codes.append("403")
        if self.method in UNSAFE:
            codes += WITH_A_BODY
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorOut, code, media_types=["application/json"], direction=direction
                )
        return dict(sorted(responses.items()))

    def _open_to_read(self) -> bool:
        permissions = getattr(self.view, "permission_classes", ())
        return all(isinstance(p, type) and issubclass(p, OPEN_TO_READ) for p in permissions)
