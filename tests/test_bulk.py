"""mirkg/bulk.py: memory the build frees goes back to the system."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mirkg.bulk import _libc


@pytest.mark.skipif(getattr(_libc(), "malloc_trim", None) is None, reason="not glibc: nothing to give back")
def test_freed_memory_is_given_back_to_the_system():
    # In a fresh process: 300 MB in blocks below glibc's mmap threshold (so they come from its
    # heap), all freed but the last (so the heap's top cannot shrink by itself). glibc keeps the
    # freed pages until they are given back.
    code = """
import sys
from mirkg.bulk import give_back_freed_memory

def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) // 1024

blocks = [b"\\x01" * (64 * 1024) for _ in range(4800)]  # written, so resident
kept = blocks[-1]
del blocks
before = rss()
give_back_freed_memory()
print(before, rss())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = map(int, done.stdout.split())
    assert before > 250, before  # glibc held the freed blocks
    assert after < before - 200, (before, after)
