"""Shared bench output: a metric table with an optional baseline column, and --save/--baseline."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_baseline_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--baseline", type=Path, help="compare with figures saved earlier")


def report(figures: dict[str, float], args: argparse.Namespace, unit_width: int = 46) -> None:
    """Print `metric  value  [baseline  change]`, then save if asked."""
    baseline = json.loads(args.baseline.read_text()) if args.baseline else {}
    header = f"{'metric':<{unit_width}} {'value':>10}"
    if baseline:
        header += f" {'baseline':>10} {'change':>8}"
    print(header)
    for key, value in figures.items():
        row = f"{key:<{unit_width}} {value:>10.2f}"
        if key in baseline and baseline[key]:
            row += f" {baseline[key]:>10.2f} {100 * (value / baseline[key] - 1):>+7.1f}%"
        print(row)
    if args.save:
        args.save.write_text(json.dumps(figures, indent=2))
