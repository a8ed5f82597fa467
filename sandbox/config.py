"""How a sandbox is set up: settlement currency, fees, rates, webhook endpoints and switches."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sandbox.money import FeeRule

# Seconds between delivery attempts of a webhook that failed. Stripe retries for three days;
# the sandbox keeps the shape (growing waits, a bounded number of attempts) at a smaller scale.
DEV_RETRY_SCHEDULE = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
TEST_RETRY_SCHEDULE = (0.05, 0.1, 0.2, 0.4, 0.8)


@dataclass
class EndpointSpec:
    url: str
    secret: str


@dataclass
class SandboxConfig:
    settlement_currency: str = "myr"
    fx_rates: dict[str, Decimal] = field(default_factory=dict)
    fees: dict[str, FeeRule] = field(default_factory=dict)
    available_after_days: int = 2
    session_lifetime: int = 24 * 3600
    endpoints: list[EndpointSpec] = field(default_factory=list)
    retry_schedule: tuple[float, ...] = DEV_RETRY_SCHEDULE
    delivery_timeout: float = 10.0
    duplicates: int = 1
    shuffle: bool = False
    hold: bool = False
    public_url: str | None = None

    def __post_init__(self) -> None:
        self.settlement_currency = self.settlement_currency.lower()
        self.fx_rates = {k.lower(): Decimal(v) for k, v in self.fx_rates.items()}
