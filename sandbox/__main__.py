"""The offline Stripe sandbox: Stripe's API as Gotong uses it, on 127.0.0.1 (sandbox/README.md).

``python -m sandbox --port 12111 --webhook-url URL --webhook-secret whsec_...``
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal

from sandbox.config import TEST_RETRY_SCHEDULE, EndpointSpec, SandboxConfig
from sandbox.money import FeeRule, parse_fee
from sandbox.server import serve


def _rate(text: str) -> tuple[str, Decimal]:
    currency, _, value = text.partition("=")
    if not value:
        raise argparse.ArgumentTypeError("give rates as CUR=rate, e.g. IDR=0.000285")
    return currency.lower(), Decimal(value)


def _fee(text: str) -> tuple[str, FeeRule]:
    try:
        return parse_fee(text)
    except (ArithmeticError, ValueError):
        raise argparse.ArgumentTypeError("give fees as CUR=PERCENT+FIXED[,DISPUTE_FEE]") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m sandbox", description=(__doc__ or "").splitlines()[0]
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=12111)
    p.add_argument("--webhook-url", action="append", default=[], help="repeatable")
    p.add_argument("--webhook-secret", action="append", default=[], help="one per --webhook-url")
    p.add_argument("--settlement-currency", default="MYR")
    p.add_argument("--fx-rate", type=_rate, action="append", default=[], metavar="CUR=RATE")
    p.add_argument(
        "--fee",
        type=_fee,
        action="append",
        default=[],
        metavar="CUR=PCT+FIXED",
        help="Stripe's fee in a settlement currency, e.g. MYR=3.0+100 (3%% + RM 1.00)",
    )
    p.add_argument("--available-after-days", type=int, default=2)
    p.add_argument("--public-url", help="the address the checkout page is reached at")
    p.add_argument("--duplicates", type=int, default=1, help="deliver each event N times")
    p.add_argument("--shuffle", action="store_true", help="deliver queued events in random order")
    p.add_argument("--hold", action="store_true", help="queue webhooks until released")
    p.add_argument("--fast-retries", action="store_true", help="retry within seconds (tests)")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--parent-pid", type=int, help="stop when this parent process is gone")
    return p


def config_from(args: argparse.Namespace) -> SandboxConfig:
    secrets = args.webhook_secret + [None] * (len(args.webhook_url) - len(args.webhook_secret))
    endpoints = [
        EndpointSpec(url, secret or "whsec_sandbox")
        for url, secret in zip(args.webhook_url, secrets, strict=False)
    ]
    config = SandboxConfig(
        settlement_currency=args.settlement_currency,
        fx_rates=dict(args.fx_rate),
        fees=dict(args.fee),
        available_after_days=args.available_after_days,
        endpoints=endpoints,
        duplicates=args.duplicates,
        shuffle=args.shuffle,
        hold=args.hold,
        public_url=args.public_url,
    )
    if args.fast_retries:
        config.retry_schedule = TEST_RETRY_SCHEDULE
    return config


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        config = config_from(args)
        serve(args.port, args.host, config, verbose=not args.quiet, parent=args.parent_pid)
    except OSError as error:
        sys.exit(f"The Stripe sandbox cannot listen on {args.host}:{args.port}: {error.strerror}")


if __name__ == "__main__":
    main()
