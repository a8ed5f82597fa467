"""Python source files outside migrations and tests stay under 400 lines: a file that does
two jobs is two files (DEVELOPERS.md). Run by `make lint`; exits 1 naming the files over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LIMIT = 400
ROOT = Path(__file__).resolve().parent.parent


def tracked_sources() -> list[Path]:
    # A fixed command, git from PATH as in every checkout.
    command = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"]
    listed = subprocess.run(  # noqa: S603
        command, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        ROOT / name
        for name in listed
        if "/migrations/" not in name and not name.startswith("tests/")
    ]


def main() -> int:
    over = []
    for path in tracked_sources():
        if path.exists():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines >= LIMIT:
                over.append((lines, path.relative_to(ROOT)))
    for lines, path in sorted(over, reverse=True):
        print(f"{path}: {lines} lines (the limit is under {LIMIT})")
    if over:
        return 1
    print(f"Every Python source file outside migrations and tests is under {LIMIT} lines.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
