"""`sim serve --all`: every open class of the store, served by one process, any of several.

A department runs many classes at once from a server, and more than one server process on
one PostgreSQL database (issue 21). Each link's token is unguessable and the class's own, so
any process can serve any link: `/{token}/…` goes to the class that token belongs to, found
in the classes' `links` events. A class's instructor may be on one process and its teams on
another; what one stores the others learn of from the store (PostgreSQL's LISTEN/NOTIFY,
`notify.follow`) and every answer is made after catching up (`Hub.sync`); two processes can
never both take one turn, because every move is written guarded by the newest event its
process has seen (`Classroom`, `Store.append(after=…)`).

All classes of a process share one store handle and one event loop: requests are served one
at a time between awaits, as for one class. Join codes are derived from each class's form key
(kept in its log), so every process shows and accepts the same codes; the limit on wrong
codes is per process.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TextIO
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from sim.store import Store, StoreError
from sim.web.app import (
    _HEADERS,
    LANG_COOKIE,
    MAX_FIELDS,
    SERVER_PATIENCE,
    ClassApp,
    _check_origin,
    _environment,
    _read_body,
    page,
    store_down,
)
from sim.web.join import JoinCodes, TooMany, normalize
from sim.web.links import links_of
from sim.web.notify import LISTENING, LOST, POLL, WATCH_INTERVAL, Change, follow, watching
from sim.web.strings import LANGUAGES, tr
from sim.web.views import Refusal

RESCAN_EVERY = 1.0
"""Seconds between two looks for new classes prompted by unknown tokens: a link made a moment
ago is found at once, a flood of wrong tokens costs one look a second."""


class DepartmentApp:
    """The ASGI app of `sim serve --all`: the classes' apps, found by their links' tokens."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        public_url: str | None = None,
        watch_interval: float | None = None,
        err: TextIO | None = None,
    ) -> None:
        self._open_store = open_store
        self.public_url = public_url
        self.watch_interval = WATCH_INTERVAL if watch_interval is None else watch_interval
        self.err = err or sys.stderr
        self._store: Store | None = None
        self.classes: dict[int, ClassApp] = {}
        self.tokens: dict[str, int] = {}
        """Every link's token → its class; one instructor and one per team."""
        self.unloadable: dict[int, str] = {}
        """Classes whose case cannot be loaded, and why (said once on stderr)."""
        self._scanned = -RESCAN_EVERY
        self.pushed = False
        """Whether the store pushes every change to this process now (`notify.follow`)."""
        self.join_limit = JoinCodes([])
        """Counts wrong join codes over all classes of this process (`team_of(known=…)`)."""
        self.env = _environment()
        self.app = Starlette(
            routes=[
                Route("/", self.home, methods=["GET"]),
                Route("/join", self.join_page, methods=["GET"]),
                Route("/join", self.join, methods=["POST"]),
            ],
            lifespan=self._lifespan,
            exception_handlers={StoreError: self._store_down},
        )

    @property
    def store(self) -> Store:
        """The one store handle of this process's classes, opened on the server's thread
        (sqlite3 connections belong to the thread that opened them)."""
        if self._store is None:
            self._store = self._open_store()
            self._store.patience = SERVER_PATIENCE
        return self._store

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.scan()
        try:
            async with watching(follow(self.store, self._changed, self.watch_interval)):
                yield
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _changed(self, change: Change) -> None:
        """The store says a class moved (or that any may have, or that it now pushes every
        change, or no longer does): each class concerned takes it in (`Hub.followed`)."""
        if change is LISTENING or change is LOST:
            self.pushed = change is LISTENING
        elif change is not POLL and change[0] not in self.classes:
            self._scanned = -RESCAN_EVERY  # a class new to this server: look at once
            return
        marker = change is LISTENING or change is LOST or change is POLL
        for served in self.classes.values() if marker else [self.classes[change[0]]]:
            served.hub.followed(change)

    # Finding a token's class -----------------------------------------------------------------

    def scan(self) -> None:
        """Serve every unfinished class that has links and is not served yet."""
        from sim.cases import CaseError, session_case
        from sim.classroom import ClassError, Classroom

        for info in self.store.sessions():
            if info.kind != "classroom" or info.finished or info.id in self.classes:
                continue
            if info.id in self.unloadable:
                continue
            links = links_of(self.store.events(info.id))
            if links is None:
                continue  # never given links: `sim links ID --host --port` makes them
            try:
                room = Classroom.resume(session_case(info, self.store), self.store, info.id)
            except (CaseError, ClassError) as problem:
                self.unloadable[info.id] = str(problem)
                print(f"sim serve: class {info.id} is not served: {problem}", file=self.err)
                continue
            served = ClassApp(room, public_url=self.public_url, shared=True, derived_codes=True)
            served.hub.pushed = self.pushed
            self.classes[info.id] = served
            self.tokens[links.instructor] = info.id
            for token in links.teams.values():
                self.tokens[token] = info.id

    def class_of(self, token: str) -> ClassApp | None:
        """The class whose link `token` is; unknown tokens prompt a look for new classes at
        most once every RESCAN_EVERY seconds."""
        found = self.tokens.get(token)
        if found is None and self._rescanned():
            found = self.tokens.get(token)
        return None if found is None else self.classes.get(found)

    def _rescanned(self) -> bool:
        """Look for new classes (a link or a code this server does not know yet), unless it
        looked less than RESCAN_EVERY seconds ago: whether it looked."""
        if time.monotonic() - self._scanned < RESCAN_EVERY:
            return False
        self._scanned = time.monotonic()
        self.scan()
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = str(scope.get("path", ""))
            token, slash, _ = path.lstrip("/").partition("/")
            if slash and token:
                try:
                    served = self.class_of(token)
                except StoreError as problem:
                    answer = store_down(
                        self.env, Request(scope), problem, self._lang(Request(scope))
                    )
                    await answer(scope, receive, send)
                    return
                if served is None:
                    await self._unknown(scope, path)(scope, receive, send)
                    return
                await served.app(scope, receive, send)
                return
        await self.app(scope, receive, send)

    # The pages of no class ---------------------------------------------------------------------

    def _lang(self, request: Request) -> str:
        asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return str(asked) if asked in LANGUAGES else "zh"

    def _html(self, lang: str, template: str, context: dict[str, Any], status: int) -> Response:
        return page(self.env, template, lang, context, status)

    def _unknown(self, scope: Scope, path: str) -> Response:
        """404 for a token that is no open class's, as a class's own server says it."""
        request = Request(scope)
        message = "there is no such link"
        if path.endswith(".json") or request.method != "GET" or path.endswith("/events"):
            return JSONResponse(
                {"error": "unknown", "message": message}, status_code=404, headers=_HEADERS
            )
        lang = self._lang(request)
        return self._html(lang, "message.html", {"message": tr("unknown", lang)}, 404)

    async def _store_down(self, request: Request, exc: Exception) -> Response:
        return store_down(self.env, request, exc, self._lang(request))

    async def home(self, request: Request) -> Response:
        lang = self._lang(request)
        return self._html(lang, "message.html", {"message": tr("home", lang)}, 200)

    async def join_page(self, request: Request) -> Response:
        return self._html(self._lang(request), "join.html", {"error": ""}, 200)

    async def join(self, request: Request) -> Response:
        """A typed code, among every open class's: to the team's link (303), or the form
        again — 404 a wrong code, 429 too many wrong codes lately. Nothing is stored."""
        lang = self._lang(request)
        try:
            _check_origin(request)
            body = await _read_body(request)
        except Refusal as refused:
            return self._html(lang, "message.html", {"message": refused.message}, refused.status)
        try:
            fields = dict(parse_qsl(body.decode("utf-8"), max_num_fields=MAX_FIELDS))
        except (UnicodeDecodeError, ValueError):
            fields = {}
        typed = str(fields.get("code", ""))
        known, links = self._join_codes()
        if normalize(typed) not in known.values() and self._rescanned():
            known, links = self._join_codes()  # a class made since the last look
        client = request.client.host if request.client else ""
        try:
            found = self.join_limit.team_of(typed, client, known=known)
        except TooMany as limited:
            response = self._html(lang, "join.html", {"error": tr("join.limited", lang)}, 429)
            response.headers["Retry-After"] = str(limited.retry_after)
            return response
        if found is None:
            return self._html(lang, "join.html", {"error": tr("join.wrong", lang)}, 404)
        return RedirectResponse(f"/{links[found]}/", status_code=303)

    def _join_codes(self) -> tuple[dict[str, str], dict[str, str]]:
        """Every open class's join codes and the team links they lead to, by one key each."""
        known: dict[str, str] = {}
        links: dict[str, str] = {}
        for session_id, served in self.classes.items():
            served.hub.sync()
            if served.closed:
                continue
            for team, code in served.join_codes.by_team.items():
                key = f"{session_id}\n{team}"
                known[key] = code
                links[key] = served.links.teams[team]
        return known, links
