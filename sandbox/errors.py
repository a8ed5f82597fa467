"""Stripe's error shape: ``{"error": {"type", "code", "message", "param"}}`` and its statuses."""

from __future__ import annotations

from typing import Any


class StripeError(Exception):
    """Raised by any handler; the server turns it into Stripe's JSON error body."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.code = code
        self.param = param
        self.extra = extra or {}

    def body(self, request_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        error.update(self.extra)
        return {"error": error}


def invalid_request(message: str, *, param: str | None = None, code: str | None = None):
    return StripeError(400, "invalid_request_error", message, code=code, param=param)


def missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(
        404,
        "invalid_request_error",
        f"No such {kind}: '{object_id}'",
        code="resource_missing",
        param=param,
    )


def card_error(message: str, *, code: str, decline_code: str | None, extra: dict[str, Any]):
    details = dict(extra)
    if decline_code:
        details["decline_code"] = decline_code
    return StripeError(402, "card_error", message, code=code, extra=details)


def unauthorized(message: str) -> StripeError:
    return StripeError(401, "invalid_request_error", message)
