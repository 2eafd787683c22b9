"""The decoding threads share at most two malloc heaps (generator/images/heap.py): counted in glibc's own
report of its heaps (malloc_info), in a process of its own with and without the bound."""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc's malloc only"
)

THREADS = 8
PROGRAM = f"""
import ctypes, sys, threading
from generator.images.heap import bound_heaps
if sys.argv[2] == "bound":
    assert bound_heaps()
together = threading.Barrier({THREADS})
def work():
    together.wait()
    block = bytearray(64 * 1024)  # malloc'd in this thread's heap (not a mapping of its own)
    together.wait()
threads = [threading.Thread(target=work) for _ in range({THREADS})]
for t in threads:
    t.start()
for t in threads:
    t.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
libc.fclose.argtypes = (ctypes.c_void_p,)
out = libc.fopen(sys.argv[1].encode(), b"w")
libc.malloc_info(0, out)
libc.fclose(out)
"""


def heaps(tmp_path: Path, mode: str) -> int:
    report = tmp_path / f"{mode}.xml"
    subprocess.run([sys.executable, "-c", PROGRAM, str(report), mode], check=True, timeout=60)
    return len(re.findall(r'<heap nr="\d+">', report.read_text()))


def test_threads_share_two_heaps_once_bound(tmp_path: Path) -> None:
    assert heaps(tmp_path, "bound") <= 2
    assert heaps(tmp_path, "free") > 2  # without the bound, the same threads make more: the test can fail
