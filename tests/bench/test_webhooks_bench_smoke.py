"""Cheap checks that `make bench-webhooks` measures the real thing (the full run needs
gunicorn, PostgreSQL, Redis and Celery, so it is not run here)."""

from __future__ import annotations

import json
import time

import pytest

from bench.webhooks.loadgen import percentile, signature
from payments.stripe.signatures import verify_signature
from payments.types import SignatureError


def test_the_load_generator_signs_as_stripe_does():
    body = json.dumps({"id": "evt_1", "type": "checkout.session.completed"}).encode()
    header = signature(body, b"whsec_bench", int(time.time()))
    verify_signature(body, header, ["whsec_bench"])  # the product's own check accepts it
    with pytest.raises(SignatureError):
        verify_signature(body + b" ", header, ["whsec_bench"])


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (
        50.0,
        99.0,
        100.0,
    )
