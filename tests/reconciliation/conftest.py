"""The ledger suites' fixtures: the default chart, campaigns with funds."""

from tests.ledger.conftest import campaign, chart, ph_campaign, ph_enterprise

__all__ = ["campaign", "chart", "ph_campaign", "ph_enterprise"]
