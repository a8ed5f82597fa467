"""The progress line the `ledger_import_*` commands print while an import runs."""

from __future__ import annotations

from typing import TextIO

from reconciliation.models import ImportJob


class ProgressLine:
    """Rewrites one terminal line: `import #7 stripe_csv: 1,500/4,000 rows (37%)`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, job: ImportJob) -> None:
        total = job.total or 0
        share = f" ({100 * job.processed // total}%)" if total else ""
        self.out.write(
            f"\rimport #{job.pk} {job.kind}: {job.processed:,}/{total:,} rows{share}", ending=""
        )
        self.out.flush()

    def done(self, job: ImportJob) -> str:
        return (
            f"\nimport #{job.pk} {job.state}: {job.created_count:,} new, "
            f"{job.existing_count:,} already imported"
        )
