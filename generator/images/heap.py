"""How many heaps the C allocator keeps, for the threads that decode frames.

glibc's malloc gives threads heaps ("arenas") of their own, up to 8 per core, and keeps what is freed in each
for later. The threads that decode frames allocate large buffers (libwebp's canvases, 4 bytes a pixel: 16 MB
for a 1920x1080 frame, Pillow's images, OCR crops) among Python's small objects; spread over many heaps, what
they free is kept rather than given back. Measured with ``python -m bench.generate`` on the 50-step 1920x1080
recording (lossless WebP frames): peak memory 450 MB with the default, 310 MB with two heaps; the same session
10 times over (5,240 events), 984 MB and 719 MB; no slower (a lower threshold for mapping blocks of their own
instead cost 10-20 % more CPU in page faults).
"""

from __future__ import annotations

import ctypes
import functools
import platform

M_ARENA_MAX = -8  # mallopt's parameter number (glibc malloc.h)
HEAPS = 2


@functools.cache
def bound_heaps() -> bool:
    """At most HEAPS malloc heaps for the rest of the process (glibc; elsewhere nothing); whether it was set.
    Call it before the threads that decode frames start: heaps made already stay."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, HEAPS))
