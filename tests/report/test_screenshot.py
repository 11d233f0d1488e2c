"""The HTML report renders in a real browser (Debian's headless Chromium) and prints on A4.

`.ci/run` installs the `chromium` package; where it is missing these tests are skipped with
the reason. The PNG is decoded with the standard library (zlib, struct), no imaging package.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from sim.report import render_report, write_file
from sim.store import open_store
from tests.report.helpers import classroom, scale_case, source_of

WIDTH, HEIGHT = 1200, 1600
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="chromium not found (Debian package `chromium`; .ci/run installs it)"
)
# Headless, as root, on a machine without a network: no sandbox, GPU or background traffic.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium(*args: str) -> None:
    assert BROWSER is not None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=90,
            check=True,
        )


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered pixel rows (8-bit RGB or RGBA only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    stride = width * step
    raw = zlib.decompress(idat)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(step, stride):
                line[i] = (line[i] + line[i - step]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - step] if i >= step else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - step] if i >= step else 0
                b, c = previous[i], previous[i - step] if i >= step else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(
            bytes(line) if step == 3 else bytes(line[j] for j in range(stride) if j % 4 != 3)
        )
        previous = line
    return width, height, rows


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIM_HOME", str(folder / "home"))
        with open_store() as store:
            session = classroom(store, scale_case())
            html = render_report(source_of(store, session.session_id), "html")
    path = folder / "report.html"
    write_file(path, html, "html")
    return path


def test_screenshot_shows_the_report(report: Path) -> None:
    shot = report.parent / "report.png"
    chromium(f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", report.as_uri())
    width, height, rows = decode_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    white = b"\xff" * (WIDTH * 3)
    inked = [row for row in rows if row != white]
    assert len(inked) > HEIGHT // 4, "the page is (nearly) blank"
    assert len(set(rows)) > 100, "too few distinct rows for a page of text, tables and a chart"
    # The chart's bars (first team colour, #0072B2) and the headings' accent (#0b4f8a) show.
    assert any(b"\x00\x72\xb2" * 20 in row for row in rows), "no chart bar was drawn"
    assert any(b"\x0b\x4f\x8a" * 20 in row for row in rows), "no section rule was drawn"


def test_prints_on_a4(report: Path) -> None:
    pdf = report.parent / "report.pdf"
    chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(width) - 595.3) < 1 and abs(float(height) - 841.9) < 1
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2  # team sections start a new page
