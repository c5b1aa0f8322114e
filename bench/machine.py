"""What the figures were measured on: the machine, the date, the commit."""
from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path


def cpu_model(cpuinfo: str) -> str:
    """The first `model name` of /proc/cpuinfo's text ("unknown" when there is none)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            return value.strip()
    return "unknown"


def commit(root: Path) -> str:
    """The checked-out commit, short, marked when the working tree has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def machine_facts(root: Path) -> dict[str, str]:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        cpuinfo = ""
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": cpu_model(cpuinfo),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(root),
    }
