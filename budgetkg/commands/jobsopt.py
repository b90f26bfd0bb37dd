"""The options `extract` and `ingest` share: worker processes and the limits per document."""

from __future__ import annotations

import argparse
import os

from budgetkg.extract.workers import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT,
    Limits,
)

_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def default_jobs() -> int:
    """The cores this process may use: documents are independent, so each core extracts one."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def add_job_arguments(p: argparse.ArgumentParser) -> None:
    jobs = default_jobs()
    p.add_argument(
        "-j", "--jobs", type=_positive_int, default=jobs, metavar="N",
        help=f"worker processes that extract documents side by side (default: the cores available, "
             f"here {jobs}: extraction is CPU-bound and documents are independent; 1 still runs "
             "extraction in a worker, under the limits below)")
    p.add_argument(
        "--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help=f"time limit per document; its worker is stopped and the document rejected "
             f"(default {DEFAULT_TIMEOUT:g}; 0 = no limit)")
    p.add_argument(
        "--max-bytes", type=_size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
        help=f"size limit per file, checked before reading it (bytes, or with K, M or G; "
             f"default {DEFAULT_MAX_BYTES // 2**20}M; 0 = no limit)")
    p.add_argument(
        "--max-memory", type=_positive_or_zero, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
        help=f"address-space limit of each worker; a document needing more is rejected "
             f"(default {DEFAULT_MAX_MEMORY_MB}; 0 = no limit)")


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(timeout=args.timeout or None, max_bytes=args.max_bytes or None,
                  max_memory_mb=args.max_memory or None)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_or_zero(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def _size(text: str) -> int:
    """'64M' → bytes; a plain number is bytes."""
    number, unit = text.strip(), ""
    if number[-1:].upper() in ("K", "M", "G"):
        number, unit = number[:-1], number[-1].upper()
    try:
        value = float(number) * _UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (say 64M, 500K or 1G)") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return int(value)
