"""Benchmark: peak memory of reading each hostile file, and big honest uploads, per MB.

    python bench/resources.py [--code DIR] [--cap-gib 3] [--csv-mb 50]

Each file is read by ``valuelib.load`` in its own subprocess (the code under ``--code``,
default this checkout, so the same script measures another worktree's "before"), under an
address-space cap so that a file which would take the machine down only takes its child.
Prints per file: its size, the child's peak resident memory, peak per MB of input, the time,
and how it ended (the finding codes, or the signal / error that ended it).

Big files are written once into bench/_work/ and reused; the 200,000-row workbook is the one
bench/ingest.py writes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(__file__).parent / "_work"
sys.path.insert(0, str(ROOT))

_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
sys.path.insert(0, {code!r})
from valuelib import load
with open({path!r}, "rb") as handle:
    data = handle.read()
start = time.perf_counter()
dataset = load([({name!r}, data)])
codes = sorted({{f.code for f in dataset.findings}})
longest = max((len(f.message) + len(f.value) for f in dataset.findings), default=0)
print(json.dumps({{"codes": codes, "seconds": time.perf_counter() - start,
                  "longest_finding": longest,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def _files(csv_mb: int) -> list[Path]:
    from bench.ingest import build_workbook
    from tests.golden.cases import HERE, HOSTILE, huge_cell_workbook

    WORK.mkdir(exist_ok=True)
    huge_cell = WORK / "huge_cell_50mb.xlsx"
    if not huge_cell.exists():
        huge_cell.write_bytes(huge_cell_workbook(50 * 1024**2))
    big_xlsx = WORK / "support_200000.xlsx"
    if not big_xlsx.exists():
        build_workbook(200_000, big_xlsx)
    big_csv = WORK / f"support_{csv_mb}mb.csv"
    if not big_csv.exists():
        line = ("NW-{0},2026-08-14 09:30,2026-08-15 10:00,1.5,incident,CRM,Sales,phone,"
                "2 - Medium,2 - Medium,3 - Moderate,,4,Alex Kim\n")
        with big_csv.open("w") as out:
            out.write("Ticket,Opened,Resolved,Hours,Work type,Service,Business unit,Channel,"
                      "Impact,Urgency,Priority,Block,Satisfaction,Technician\n")
            written, i = 0, 0
            while written < csv_mb * 1024**2:
                written += out.write(line.format(i))
                i += 1
    return [HERE / name for name in HOSTILE] + [huge_cell, big_xlsx, big_csv]  # hostile first


def measure(path: Path, code: str, cap: int) -> dict:
    child = _CHILD.format(cap=cap, code=code, path=str(path), name=path.name)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - start
    if done.returncode == 0:
        return json.loads(done.stdout.splitlines()[-1])
    tail = (done.stderr.strip().splitlines() or [""])[-1][:70]
    ended = f"signal {-done.returncode}" if done.returncode < 0 else f"exit {done.returncode}"
    return {"codes": [f"{ended}: {tail}"], "seconds": wall, "peak_kb": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose valuelib is read")
    parser.add_argument("--cap-gib", type=float, default=3.0)
    parser.add_argument("--csv-mb", type=int, default=50)
    parser.add_argument("--hostile-only", action="store_true",
                        help="only the hostile files (the big honest ones take minutes)")
    args = parser.parse_args()
    cap = int(args.cap_gib * 1024**3)
    print(f"valuelib from {args.code}; each child capped at {args.cap_gib:g} GiB of address "
          "space")
    print(f"{'file':32s} {'size':>9s} {'peak':>9s} {'peak/MB':>8s} {'time':>7s}  ended")
    files = _files(args.csv_mb)
    for path in files[:5] if args.hostile_only else files:
        size = path.stat().st_size
        result = measure(path, args.code, cap)
        peak = result["peak_kb"]
        peak_text = f"{peak / 1024:7.0f}MB" if peak else "      —  "
        per_mb = f"{peak / 1024 / max(size / 1024**2, 0.01):7.0f}x" if peak and size > 1024**2 \
            else "       "
        print(f"{path.name:32s} {size / 1024:7.0f}KB {peak_text} {per_mb} "
              f"{result['seconds']:6.1f}s  {', '.join(result['codes']) or 'no findings'}"
              + (f" (longest finding {result['longest_finding']:,} chars)"
                 if result.get("longest_finding") else ""), flush=True)


if __name__ == "__main__":
    main()
