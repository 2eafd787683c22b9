"""The programs a scenario needs: found on the PATH (or how to install them), and ended after."""

from __future__ import annotations

import shutil
import subprocess

from generator.sample.driver.errors import DriverError


def require(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise DriverError(f"{binary} not found: install it (apt-get install {package})")
    return path


def end(proc: subprocess.Popen[bytes]) -> None:
    """Terminate ``proc``; kill it if it has not exited 10 s later."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
