"""Every write to the ledger: the posting core, the posting rules, periods, the chart."""
