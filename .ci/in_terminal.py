"""Run a shell command line on an 80×24 pseudo-terminal until the app shows its case list.

CI uses it for the README's "install and open the app" line: the line runs as a user would
type it (install output and all), the app must draw Home with the bundled catalogue, and
Ctrl+Q must then end it with exit status 0. Exit status: the command's, or 1 when the
catalogue never appeared in time (the last screenful is printed to say why).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

# Any of the bundled cases' titles, in either language: the catalogue is listed.
MARKERS = ("英航008号", "BA008")
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]")


def main(command_line: str, limit: float) -> int:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    process = subprocess.Popen(
        ["bash", "-c", command_line],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    started = time.monotonic()
    seen = b""
    shown = False
    try:
        while time.monotonic() - started < limit:
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            seen = (seen + chunk)[-200_000:]
            text = ESCAPES.sub(b"", seen)
            if any(marker.encode() in text for marker in MARKERS):
                shown = True
                break
        if shown:
            time.sleep(1.0)  # let the frame settle, as a user would look at it
            with contextlib.suppress(OSError):
                os.write(master, b"\x11")  # Ctrl+Q
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    seen = (seen + os.read(master, 1 << 16))[-200_000:]
                except OSError:
                    break
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    tail = ESCAPES.sub(b"", seen).decode("utf-8", "replace")[-3000:]
    if not shown:
        print(f"the app did not list the bundled cases within {limit:.0f} s; last output:")
        print(tail)
        return 1
    print(
        f"the app listed the bundled cases; Ctrl+Q ended it with exit status {process.returncode}"
    )
    return process.returncode if process.returncode is not None else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: in_terminal.py 'COMMAND LINE'")
    sys.exit(main(sys.argv[1], limit=900))
