"""A small driver for headless Chromium over its DevTools protocol, for the real-browser test.

Why not Playwright: it downloads a browser build of its own at install time, which a machine
without outside access cannot do; Debian's `chromium` speaks the same protocol, and one
WebSocket (websocket-client, a test-only dependency) is all it takes. The test taps with the
mouse at an element's place on the screen, as a finger would, so a form that is hidden,
covered or off the phone's width fails the test, where `element.click()` would not.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
"""An iPhone 12-13's CSS viewport."""


class BrowserError(AssertionError):
    """The page did not do what a person would see it do (a test failure, with the reason)."""


class Browser:
    """One headless Chromium with one tab, driven over the DevTools WebSocket."""

    def __init__(self, timeout: float = 30.0) -> None:
        assert CHROMIUM is not None
        self.timeout = timeout
        self.profile = Path(tempfile.mkdtemp(prefix="sim-chromium-"))
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        port = self._port()
        pages: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while not pages and time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as got:
                pages = [t for t in json.loads(got.read()) if t.get("type") == "page"]
            if not pages:
                time.sleep(0.1)
        if not pages:
            raise BrowserError("Chromium opened no tab")
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True
        )
        self._next = 0
        self._events: list[dict[str, Any]] = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride", PHONE)

    def _port(self) -> int:
        """Chromium picks a free port (port 0) and writes it into the profile folder."""
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise BrowserError(f"Chromium exited at start: {err[-1500:]}")
            if active.exists() and active.read_text().strip():
                return int(active.read_text().split()[0])
            time.sleep(0.05)
        raise BrowserError("Chromium never opened its DevTools port")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)

    # The protocol ----------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next += 1
        ask = self._next
        self.ws.send(json.dumps({"id": ask, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ask:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        """The next event `method` (one already received counts)."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for index, event in enumerate(self._events):
                if event["method"] == method:
                    del self._events[: index + 1]
                    return event
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in message:
                self._events.append(message)
        raise BrowserError(f"no {method} within {self.timeout:.0f} s")

    def evaluate(self, expression: str) -> Any:
        done = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in done:
            raise BrowserError(f"{expression[:80]}: {done['exceptionDetails']}")
        return done["result"].get("value")

    # What a person does ----------------------------------------------------------------------

    def open(self, url: str) -> None:
        self._events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def text(self, selector: str = "main") -> str:
        found = self.evaluate(
            f"(function(){{var e=document.querySelector({json.dumps(selector)});"
            "return e ? e.innerText : null;})()"
        )
        if found is None:
            raise BrowserError(f"nothing on the page matches {selector}")
        return str(found)

    def tap(self, selector: str, navigates: bool = False) -> None:
        """Scroll the element into view and press and release the mouse at its centre; the
        element must be the one under that point (not covered, not zero-sized)."""
        box = self.evaluate(
            f"(function(){{var e=document.querySelector({json.dumps(selector)});"
            "if(!e) return null; e.scrollIntoView({block:'center'});"
            "var r=e.getBoundingClientRect(); var x=r.left+r.width/2, y=r.top+r.height/2;"
            "var hit=document.elementFromPoint(x,y);"
            "return {x:x, y:y, w:r.width, h:r.height, hit: !!hit && (hit===e||e.contains(hit)||"
            "(hit.control===e)||(!!hit.closest('label') && hit.closest('label').contains(e)))};"
            "})()"
        )
        if box is None:
            raise BrowserError(f"nothing on the page matches {selector}")
        if not box["hit"] or box["w"] < 1 or box["h"] < 1:
            raise BrowserError(f"{selector} cannot be tapped (covered, or not on screen)")
        if box["x"] > PHONE["width"]:
            raise BrowserError(f"{selector} is beyond the phone's width")
        if navigates:
            self._events.clear()
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )
        if navigates:
            self.wait_for("Page.loadEventFired")

    def type(self, selector: str, text: str) -> None:
        self.tap(selector)
        self.call("Input.insertText", {"text": text})

    def screenshot(self, out: Path) -> Path:
        """The whole page, at the phone's width (the part below the fold included)."""
        shot = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        out.write_bytes(base64.b64decode(shot["data"]))
        return out
