"""The ASGI app: routes under each capability link, checked in one place before a view runs.

Starlette (small, maintained, plain ASGI, with a test client that calls the app in-process)
serves the JSON API and the pages from the same views (`views.py`); uvicorn runs it
(`serve.py`). Every handler is async and calls the SQLite store directly on the event loop:
requests are served one at a time between awaits, so "check, then store" can never interleave
with another request's move, and the event is committed before the response is sent.

Forms: the capability token in the path is not enough against cross-site forms (a link can
leak through history or a shoulder), so every HTML form carries a per-link form token (an
HMAC of the link under a key kept in the log) and every POST's Origin (or Referer) must be
this server. JSON requests need `Content-Type: application/json`, which a cross-site page
cannot send without a CORS preflight that this server never grants.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from sim.classroom import ClassError, Classroom, Rate
from sim.engine import MoveError
from sim.store import StoreError
from sim.web import views
from sim.web.join import JoinCodes, TooMany, derive_codes, shown
from sim.web.links import Links, ensure_links
from sim.web.notify import (
    STORE_RETRY_AFTER,
    WATCH_INTERVAL,
    Hub,
    say_store_problem,
    watching,
)
from sim.web.strings import LANGUAGES, tr
from sim.web.views import Refusal, Who

MAX_BODY = 16 * 1024
"""Bytes a request body may hold: a ballot or a 500-character justification needs far less."""
MAX_FIELDS = 64
SSE_LIFETIME = 300.0
"""Seconds one event stream stays open; the browser's EventSource then reconnects by itself,
so a connection a proxy or a sleeping phone dropped silently is never kept forever."""
KEEPALIVE = 15.0
LANG_COOKIE = "sim_lang"

_TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> Environment:
    """Autoescape on, explicitly (PRODUCT.md's trap: `select_autoescape` would not match every
    name); case and team text reaches the templates only as data."""
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["tr"] = tr
    return env


class ClassApp:
    """One served class: its room kept current by the hub, its links, its pages."""

    def __init__(
        self,
        room: Classroom,
        public_url: str | None = None,
        sse_lifetime: float = SSE_LIFETIME,
        watch_interval: float | None = None,
        shared: bool = False,
        debrief_open: bool = False,
        derived_codes: bool = False,
    ) -> None:
        self.room = room
        self.shared = shared
        """True when the app runs on the caller's own thread and event loop (the projector's
        `sim class --serve`): it then uses the caller's room and connection as they are."""
        self.debrief_open = debrief_open
        """The links keep working through a debrief held on the projector (which closes the
        session as it opens), until this server stops or the instructor's link ends the class
        (`sim class --serve`). Without it, as in `sim serve`, a closed class's links are gone."""
        self.ended = False
        """The instructor's link ended the class while it was served: every link is gone."""
        self.links: Links = ensure_links(room.store, room.session_id, room.order)
        codes = derive_codes(self.links.teams, self.links.form_key) if derived_codes else None
        self.join_codes = JoinCodes(self.links.teams, codes=codes)
        """Made anew each time the class is served, kept in memory only (`sim.web.join`);
        `derived_codes` (`sim serve --all`): the same on every server of the store."""
        self._hub: Hub | None = None
        self.public_url = public_url
        self.sse_lifetime = sse_lifetime
        self.watch_interval = watch_interval
        self.env = _environment()
        self._state_cache_key: tuple[int, int] | None = None
        self._state_cache: dict[tuple[str | None, str], bytes] = {}
        routes = [
            Route("/", self.home, methods=["GET"]),
            Route("/join", self.join_page, methods=["GET"]),
            Route("/join", self.join, methods=["POST"]),
            Route("/{token}/", self.page, methods=["GET"]),
            Route("/{token}/state.json", self.state_json, methods=["GET"]),
            Route("/{token}/events", self.events, methods=["GET"]),
            Route("/{token}/choice", self._post(views.choose), methods=["POST"]),
            Route("/{token}/reason", self._post(views.give_reason), methods=["POST"]),
            Route("/{token}/rating", self._post(views.rate), methods=["POST"]),
            Route("/{token}/next", self._post(self._advance), methods=["POST"]),
            Route("/{token}/undo", self._post(views.undo), methods=["POST"]),
            Route("/{token}/skip", self._post(views.skip), methods=["POST"]),
            Route("/{token}/pause", self._post(views.pause), methods=["POST"]),
        ]
        self.app = Starlette(
            routes=routes,
            lifespan=self._lifespan,
            exception_handlers={StoreError: self._store_down},
        )

    @property
    def hub(self) -> Hub:
        """The class as this server sees it, opened on the server's own thread.

        sqlite3 connections belong to the thread that opened them, and the server (uvicorn,
        or the test client's portal) runs the app on a thread of its own: the app reopens the
        class there, on its own connection, which also gives `data_version` its meaning
        (commits by any other connection, the caller's included)."""
        if self._hub is None:
            if not self.shared:
                given = self.room
                store = given.store.reopen()
                store.patience = SERVER_PATIENCE
                self.room = Classroom.resume(given.case, store, given.session_id)
            self._hub = Hub(self.room)
        return self._hub

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        hub = self.hub
        interval = WATCH_INTERVAL if self.watch_interval is None else self.watch_interval
        try:
            async with watching(hub.watch(interval)):
                yield
        finally:
            if not self.shared:  # the projector's connection is the projector's to close
                self.room.store.close()
                self._hub = None

    # Who is asking ---------------------------------------------------------------------------

    def _who(self, request: Request) -> Who:
        """The link's holder, after catching up with the store; 404 for a token that is
        nobody's, 410 for every link once the class has ended."""
        self.hub.sync()
        holder = self.links.holder(str(request.path_params["token"]))
        if holder is None:
            raise Refusal(404, "unknown", "there is no such link")
        if self.closed:
            raise Refusal(410, "ended", "the class has ended; its links no longer work")
        return Who(holder[1])

    @property
    def closed(self) -> bool:
        """Whether the links no longer work: the class has ended (see `debrief_open`)."""
        return self.room.finished and (self.ended or not self.debrief_open)

    def _lang(self, request: Request) -> str:
        asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        if asked in LANGUAGES:
            return str(asked)
        stored = self.room.settings.get("lang")
        if stored in LANGUAGES:
            return str(stored)
        default = self.room.case.scenario.default_language
        return default if default in LANGUAGES else "zh"

    def _base(self, request: Request) -> str:
        return self.public_url or str(request.base_url)

    # Reading ---------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        lang = self._lang(request)
        return self._html("message.html", lang, {"message": tr("home", lang)}, 200)

    async def join_page(self, request: Request) -> Response:
        """`/join`: the form where a phone without a camera types its team's code."""
        return self._join_form(self._lang(request), "", 200)

    async def join(self, request: Request) -> Response:
        """A typed code: to the team's link (303), or the form again with what went wrong —
        404 a wrong code, 429 too many wrong codes lately (with Retry-After), 410 an ended
        class. Nothing is stored either way."""
        lang = self._lang(request)
        try:
            _check_origin(request)
            body = await _read_body(request)
        except Refusal as refused:
            return self._html("message.html", lang, {"message": refused.message}, refused.status)
        self.hub.sync()
        if self.room.finished:
            return self._html("message.html", lang, {"message": tr("gone", lang)}, 410)
        try:
            fields = dict(parse_qsl(body.decode("utf-8"), max_num_fields=MAX_FIELDS))
        except (UnicodeDecodeError, ValueError):
            fields = {}
        client = request.client.host if request.client else ""
        try:
            team = self.join_codes.team_of(str(fields.get("code", "")), client)
        except TooMany as limited:
            response = self._join_form(lang, tr("join.limited", lang), 429)
            response.headers["Retry-After"] = str(limited.retry_after)
            return response
        if team is None:
            return self._join_form(lang, tr("join.wrong", lang), 404)
        return RedirectResponse(f"/{self.links.teams[team]}/", status_code=303)

    def _join_form(self, lang: str, error: str, status: int) -> HTMLResponse:
        return self._html("join.html", lang, {"error": error}, status)

    async def state_json(self, request: Request) -> Response:
        """The contract's state; `?wait=V` answers only once the version differs from V
        (a long poll of at most 25 s) for clients without server-sent events."""
        try:
            who = self._who(request)
            waited = request.query_params.get("wait")
            if waited is not None and waited.lstrip("-").isdigit():
                await self.hub.wait(int(waited), 25.0)
                who = self._who(request)
            return self._state_answer(who, self._lang(request))
        except Refusal as refused:
            return self._json_refusal(refused)

    def _state_answer(self, who: Who, lang: str) -> Response:
        """`state.json`'s body, made once per version of the class, holder and language.

        Why: every device polls (the benchmark: 24 devices, four times a second) and nearly
        every poll finds the class as it was; the state is a function of the log (and of the
        case, which `adopt` may replace), so the bytes made for a version stay right until
        the next event."""
        key = (views.version_of(self.room), id(self.room.case), who.team, lang)
        if self._state_cache_key != key[:2]:
            self._state_cache_key = key[:2]
            self._state_cache = {}
        body = self._state_cache.get(key[2:])
        if body is None:
            body = bytes(self._json(views.state(self.room, who, lang)).body)
            self._state_cache[key[2:]] = body
        return Response(body, media_type="application/json", headers=_HEADERS)

    async def events(self, request: Request) -> Response:
        """Server-sent events: `change` with the new version whenever the class moves."""
        try:
            self._who(request)
        except Refusal as refused:
            return self._json_refusal(refused)
        hub, lifetime = self.hub, self.sse_lifetime

        async def stream() -> AsyncIterator[str]:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + lifetime
            seen = -1
            yield "retry: 3000\n\n"
            while True:
                if hub.version != seen:
                    seen = hub.version
                    yield f"event: change\ndata: {seen}\n\n"
                if self.closed:
                    return
                left = deadline - loop.time()
                if left <= 0:
                    return
                if await hub.wait(seen, min(KEEPALIVE, left)) == seen:
                    yield ": keep-alive\n\n"

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def page(self, request: Request) -> Response:
        lang = self._lang(request)
        try:
            who = self._who(request)
        except Refusal as refused:
            key = "gone" if refused.status == 410 else "unknown"
            return self._html("message.html", lang, {"message": tr(key, lang)}, refused.status)
        token = str(request.path_params["token"])
        error = request.query_params.get("e", "")
        context = self._page_context(who, token, lang, error, request)
        template = "instructor.html" if who.instructor else "team.html"
        response = self._html(template, lang, context, 200)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE,
                str(request.query_params["lang"]),
                max_age=60 * 60 * 24 * 30,
                path=f"/{token}/",
                httponly=True,
                samesite="strict",
            )
        return response

    def _page_context(
        self, who: Who, token: str, lang: str, error: str, request: Request
    ) -> dict[str, Any]:
        room = self.room
        data = views.state(room, who, lang)
        phase = room.phase()
        context: dict[str, Any] = {
            "state": data,
            "who": who,
            "token": token,
            "csrf": self.links.form_token(token),
            "title": views.localized(room, room.case.scenario.title, lang),
            "other_lang": "en" if lang == "zh" else "zh",
            "error": _error_text(error, lang) if error else "",
            "moving": [row["team"] for row in views.progress(room) if row["moving"]],
            "mode": room.mode,
            "criteria": views.criteria_detail(room, lang),
            "to_rate": [views.path_of(room, t, lang) for t in data["to_rate"]],
            "rated": [
                {**views.path_of(room, t, lang), "given": views.given(room, who, t)}
                for t in data["rated"]
            ],
            "being_rated": isinstance(phase, Rate) and who.team in phase.teams,
            "debrief_path": None,
            "watch": None,
            "narration": None,
            "reveal": views.reveal(room, lang),
            "briefing": views.briefing(room, lang),
        }
        if who.team is not None:
            run = room.run_of(who.team)
            context["ended"] = run.finished
            context["fresh"] = not run.steps and run.pending is None
            if data["your_turn"]:
                context["narration"] = views.narration(room, who.team, lang)
            if data["phase"] == "debrief":
                context["debrief_path"] = views.path_of(room, who.team, lang)
            if room.mode == "sequential" and data["phase"] == "wait":
                playing = [t for t in context["moving"] if t != who.team]
                if playing:
                    context["watch"] = views.path_of(room, playing[0], lang)
        else:
            base = self._base(request)
            context["progress"] = views.progress(room)
            context["join_url"] = f"{base}join"
            context["team_links"] = [
                {
                    "team": team,
                    "url": f"{base}{tok}/",
                    "qr": segno.make(f"{base}{tok}/", error="m").svg_data_uri(scale=4, border=2),
                    "code": shown(self.join_codes.by_team[team]),
                }
                for team, tok in self.links.teams.items()
            ]
            context["can_next"] = data["step"] != "turn"
            context["last_step"] = data["step"] == "debrief"
            context["moves"] = views.moves_for(room, lang)
        return context

    # Writing ---------------------------------------------------------------------------------

    def _advance(self, room: Classroom, who: Who, body: dict[str, Any]) -> None:
        """Next; at the debrief it ends the class, and with it every link. A debrief the
        projector has opened (and so closed the session) is ended here explicitly."""
        if room.finished and self.debrief_open and who.instructor:
            self.ended = True
            return
        views.advance(room, who)
        if room.finished:
            self.ended = True

    def _post(
        self, act: Callable[[Classroom, Who, dict[str, Any]], None]
    ) -> Callable[[Request], Awaitable[Response]]:
        """A POST route: origin, size and body checked, then the move, then the answer —
        JSON for JSON, a redirect back to the page (POST-redirect-GET) for a form."""

        async def handler(request: Request) -> Response:
            token = str(request.path_params["token"])
            is_form = _media_type(request) == "application/x-www-form-urlencoded"
            try:
                who = self._who(request)
                _check_origin(request)
                body = await _read_body(request)
                data = self._form(body, token) if is_form else _json_body(body, request)
                self._act(act, who, data)
            except Refusal as refused:
                if is_form and refused.status in (409, 422):
                    return RedirectResponse(f"/{token}/?e={refused.code}", status_code=303)
                if is_form:
                    lang = self._lang(request)
                    message = tr("gone", lang) if refused.status == 410 else refused.message
                    return self._html("message.html", lang, {"message": message}, refused.status)
                return self._json_refusal(refused)
            self.hub.publish()
            if is_form:
                return RedirectResponse(f"/{token}/", status_code=303)
            return self._json({"ok": True, "version": self.hub.version})

        return handler

    def _act(
        self, act: Callable[[Classroom, Who, dict[str, Any]], None], who: Who, data: dict[str, Any]
    ) -> None:
        """Run a view's move. When another server stored first, the room re-reads the log
        and decides the move again (`Classroom`); if the engine then refuses it (the same
        team's move arrived through both servers: its choice is already made), the view runs
        once more, so its own checks name the refusal (409 `reason_due`…), never a 500.
        Nothing was stored by the refused attempt."""
        try:
            act(self.room, who, data)
        except MoveError:
            try:
                act(self.room, who, data)
            except MoveError as refused:
                raise Refusal(409, "refused", str(refused)) from None
            except ClassError as refused:
                raise views.refusal(refused, "refused") from None
        except ClassError as refused:  # one a view does not name itself (`moved`)
            raise views.refusal(refused, "refused") from None

    def _form(self, body: bytes, token: str) -> dict[str, Any]:
        """A form's fields (`level.CRITERION` fields become the ballot's `levels`), after its
        form token is checked."""
        try:
            pairs = parse_qsl(
                body.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=False,
                max_num_fields=MAX_FIELDS,
            )
        except (UnicodeDecodeError, ValueError):
            raise Refusal(422, "malformed", "the form could not be read") from None
        fields: dict[str, Any] = {}
        levels: dict[str, float | str] = {}
        for key, value in pairs:
            if key.startswith("level."):
                levels[key.removeprefix("level.")] = views.form_level(value)
            else:
                fields[key] = value
        sent = str(fields.pop("csrf", ""))
        if not hmac.compare_digest(sent.encode(), self.links.form_token(token).encode()):
            raise Refusal(403, "csrf", "the form is not from this class's page; reload it")
        if levels:
            fields["levels"] = levels
        return fields

    # Answers ---------------------------------------------------------------------------------

    async def _store_down(self, request: Request, exc: Exception) -> Response:
        return store_down(self.env, request, exc, self._lang(request))

    def _json(self, data: object, status: int = 200) -> JSONResponse:
        return JSONResponse(data, status_code=status, headers=_HEADERS)

    def _json_refusal(self, refused: Refusal) -> JSONResponse:
        return self._json({"error": refused.code, "message": refused.message}, refused.status)

    def _html(self, name: str, lang: str, context: dict[str, Any], status: int) -> HTMLResponse:
        return page(self.env, name, lang, context, status)


SERVER_PATIENCE = 1.0
"""Seconds a served request waits for a store that does not answer before it says so (503):
the server's event loop is one thread, so a longer wait would hold every other request."""


def store_down(env: Environment, request: Request, exc: Exception, lang: str) -> Response:
    """503 while the store does not answer (a database restarting, the network): the store's
    one line for a program, a page that reloads itself for a person; nothing was stored."""
    say_store_problem(exc)
    headers = {"Retry-After": str(STORE_RETRY_AFTER)}
    wants_page = request.method == "GET" and not request.url.path.endswith((".json", "/events"))
    if wants_page or _media_type(request) == "application/x-www-form-urlencoded":
        token, slash, _ = request.url.path.lstrip("/").partition("/")
        context = {
            "message": tr("store_down", lang),
            "retry": STORE_RETRY_AFTER,
            # Back to the link's own page (a form's POST address cannot be reloaded).
            "reload_to": f"/{token}/" if slash and token else "/",
        }
        response: Response = page(env, "message.html", lang, context, 503)
    else:
        # Not the store's own line: it names the database's address, which is the admin's
        # business (stderr), not a device's.
        message = "the class's database is not answering just now; nothing was stored; try again"
        response = JSONResponse(
            {"error": "store", "message": message}, status_code=503, headers=_HEADERS
        )
    response.headers.update(headers)
    return response


def page(
    env: Environment, name: str, lang: str, context: dict[str, Any], status: int
) -> HTMLResponse:
    """A template as a page, with a script nonce of its own and the strict headers."""
    nonce = secrets.token_urlsafe(12)
    text = env.get_template(name).render(lang=lang, nonce=nonce, **context)
    headers = {
        **_HEADERS,
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; "
            "img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'"
        ),
    }
    return HTMLResponse(text, status_code=status, headers=headers)


_HEADERS = {
    "Cache-Control": "no-store",
    # The token is in the path: never send it on to another site. Not `no-referrer`: with
    # it, browsers send `Origin: null` on the page's own forms, and the origin check needs it.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def _error_text(code: str, lang: str) -> str:
    """A known error code's own message; any other text in `?e=` is never echoed."""
    known = f"error.{code}"
    text = tr(known, lang)
    return text if text != known else tr("error.other", lang)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _check_origin(request: Request) -> None:
    """A POST whose Origin (or, without one, Referer) names another site is refused."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return  # not from a browser page (curl, scripts, tests): the token is the key
    parts = urlsplit(claimed)  # "null" (a sandboxed or privacy-hidden origin) fails below
    host = request.headers.get("host", "")
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        raise Refusal(403, "cross_site", "a request from another site is refused")


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise Refusal(413, "too_large", f"a request holds at most {MAX_BODY} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refusal(413, "too_large", f"a request holds at most {MAX_BODY} bytes")
    return body


def _json_body(body: bytes, request: Request) -> dict[str, Any]:
    if _media_type(request) != "application/json":
        raise Refusal(422, "malformed", "send JSON (Content-Type: application/json) or a form")
    try:
        data = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, ValueError):
        raise Refusal(422, "malformed", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise Refusal(422, "malformed", "the body must be a JSON object")
    return data


def make_app(room: Classroom, **options: Any) -> Starlette:
    """The ASGI app for one class (tests call it through Starlette's TestClient)."""
    return ClassApp(room, **options).app
