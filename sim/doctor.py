"""`sim doctor`: what this machine has and lacks for each feature, and the fix for each.

A new user's first problems are rarely in sim itself: a Python too old, a package missing, a
data folder that cannot be written, a terminal that cannot show Chinese, no Chinese font for
the HTML report. Each check here names what it found, says whether the feature works, and
gives the command that fixes it on this system. Only the core (Python, packages, the bundled
cases, the data folder and its database) decides the exit status: reports, PDF, graphs and
PostgreSQL are extras that say what is missing without failing.

This is a face (it looks at the machine); the core never imports it.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from sim.store.location import database_url

Status = Literal["ok", "warn", "missing", "fail", "off"]
Group = Literal["core", "terminal", "extras"]

MIN_PYTHON = (3, 11)
MIN_SIZE = (80, 24)

TEXT: dict[str, tuple[str, str]] = {
    "title": (
        "sim doctor：本机为 sim {version} 准备了什么",
        "sim doctor: what this machine has for sim {version}",
    ),
    "group.core": ("核心（缺一不可）", "Core (all needed)"),
    "group.terminal": ("终端", "Terminal"),
    "group.extras": ("报告与扩展（可选）", "Reports and extras (optional)"),
    "fix": ("解决：", "fix: "),
    "all_ok": ("核心所需一切正常。", "Everything the core needs works."),
    "core_broken": (
        "核心有问题：按上面的“解决”一项项处理后再运行 {command} doctor。",
        "The core has a problem: follow each fix above, then run {command} doctor again.",
    ),
    "python": ("Python {version}（{path}）", "Python {version} ({path})"),
    "python.old": (
        "Python {version} 太旧：sim 需要 3.11 或更新",
        "Python {version} is too old: sim needs 3.11 or newer",
    ),
    "python.fix": (
        "安装 Python 3.11 以上，再按 README 的安装命令重装",
        "install Python 3.11 or newer, then the README's set-up line again",
    ),
    "packages": ("依赖包：{list}", "packages: {list}"),
    "packages.bad": (
        "依赖包有缺失或版本不符：{list}",
        "packages missing or of the wrong version: {list}",
    ),
    "packages.fix": ("在仓库目录运行：{command}", "in the clone, run: {command}"),
    "cases": ("自带案例：{count} 个，全部可以载入", "bundled cases: {count}, all load"),
    "cases.bad": (
        "自带案例有 {count} 个载入失败：{names}",
        "{count} bundled case(s) fail to load: {names}",
    ),
    "cases.none": ("找不到自带案例", "no bundled cases found"),
    "cases.fix": ("重装 sim（README 的安装命令）", "reinstall sim (the README's set-up line)"),
    "folder": ("数据文件夹 {path}：可写", "data folder {path}: writable"),
    "folder.bad": (
        "数据文件夹 {path} 无法写入（{detail}）",
        "data folder {path} cannot be written ({detail})",
    ),
    "folder.fix": (
        "把 SIM_HOME 设为一个可写的文件夹，或修改该文件夹的权限",
        "set SIM_HOME to a folder you can write, or fix the folder's permissions",
    ),
    "folder.blocked": (
        "数据文件夹 {path} 无法建立：{blocker} 是一个文件，不是文件夹",
        "data folder {path} cannot be made: {blocker} is a file, not a folder",
    ),
    "folder.blocked_fix": (
        "把 SIM_HOME 设为另一个文件夹，或移走文件 {blocker}",
        "set SIM_HOME to another folder, or move the file {blocker} aside",
    ),
    "database": (
        "会话数据库：完好，{sessions} 个会话，{size}",
        "session database: healthy, {sessions} session(s), {size}",
    ),
    "database.none": (
        "会话数据库：尚未建立（第一次保存时建立）",
        "session database: not made yet (made at the first save)",
    ),
    "database.bad": ("会话数据库无法使用：{detail}", "session database cannot be used: {detail}"),
    "database.fix": (
        "运行 {command} repair（把能读的内容复制到新数据库，旧文件保留），或把 SIM_HOME 设为另一个文件夹",
        "run `{command} repair` (copies what is readable into a new database and keeps the old file), or set SIM_HOME to another folder",
    ),
    "tty": (
        "没有连接终端：应用需要在终端窗口中打开",
        "no terminal attached: the app needs a terminal window",
    ),
    "tty.fix": ("在终端窗口中运行 {command}", "run {command} in a terminal window"),
    "size": ("窗口 {cols}×{rows}（至少 80×24）", "window {cols}×{rows} (80×24 or larger)"),
    "size.small": (
        "窗口 {cols}×{rows}，小于 80×24：部分画面会被截断",
        "window {cols}×{rows} is smaller than 80×24: some screens will be cut",
    ),
    "size.fix": ("把终端窗口放大或缩小字号", "make the terminal window larger or its font smaller"),
    "colours": ("颜色：{depth}", "colours: {depth}"),
    "colours.few": (
        "颜色：只有 {depth}，主题会变得难以分辨",
        "colours: only {depth}; the themes lose contrast",
    ),
    "colours.fix": (
        "使用支持 256 色的终端，或设置 TERM=xterm-256color",
        "use a terminal with 256 colours, or set TERM=xterm-256color",
    ),
    "colours.none": ("颜色：已关闭（NO_COLOR）", "colours: turned off (NO_COLOR)"),
    "depth.true": ("真彩色", "true colour"),
    "depth.256": ("256 色", "256 colours"),
    "depth.16": ("16 色", "16 colours"),
    "chinese": (
        "中文：编码 {encoding}，可以显示；请看这几个字是否清楚：中文显示测试",
        "Chinese: encoding {encoding}, can be shown; check these are characters, not boxes: 中文显示测试",
    ),
    "chinese.bad": (
        "中文：终端编码是 {encoding}，中文会显示成乱码或转义",
        "Chinese: the terminal's encoding is {encoding}; Chinese shows as escapes",
    ),
    "chinese.fix": (
        "设置 UTF-8 区域，例如 export LANG=C.UTF-8（或 zh_CN.UTF-8）",
        "use a UTF-8 locale, e.g. export LANG=C.UTF-8 (or zh_CN.UTF-8)",
    ),
    "font": ("报告的中文字体：{family}", "Chinese font for HTML/PDF reports: {family}"),
    "font.none": (
        "报告的中文字体：本机没有，HTML/PDF 报告里的中文会显示成方框",
        "Chinese font for HTML/PDF reports: none on this machine; Chinese in reports shows as boxes",
    ),
    "font.unknown": (
        "报告的中文字体：无法检查（没有 fc-list）",
        "Chinese font for HTML/PDF reports: cannot check (no fc-list)",
    ),
    "chromium": (
        "Chromium（PDF 导出，sim report --format pdf）：{path}",
        "Chromium (PDF export, sim report --format pdf): {path}",
    ),
    "chromium.none": (
        "Chromium（PDF 导出）：没有找到；HTML 报告仍可用浏览器打印",
        "Chromium (PDF export): not found; HTML reports can still be printed from a browser",
    ),
    "graphviz": (
        "Graphviz（案例结构图 SVG）：{version}",
        "Graphviz (case graphs as SVG): {version}",
    ),
    "graphviz.none": (
        "Graphviz（案例结构图 SVG）：没有 dot 程序；DOT 和 Mermaid 文本仍可用",
        "Graphviz (case graphs as SVG): no `dot` program; DOT and Mermaid text still work",
    ),
    "web": (
        "网络课堂（sim serve，学生用手机参与）：{list}",
        "networked class (sim serve, teams on their phones): {list}",
    ),
    "web.none": (
        "网络课堂（sim serve）：缺少 {list}",
        "networked class (sim serve): {list} not installed",
    ),
    "web.fix": ("在仓库目录运行：{command}", "in the clone, run: {command}"),
    "postgres.off": (
        "PostgreSQL：未设置 SIM_DATABASE_URL，会话保存在数据文件夹的 SQLite 中",
        "PostgreSQL: SIM_DATABASE_URL is not set; sessions are kept in SQLite in the data folder",
    ),
    "postgres": (
        "PostgreSQL：会话保存在 {url}（服务器 {version}，{sessions} 个会话，架构版本 {schema}）",
        "PostgreSQL: sessions are kept in {url} (server {version}, {sessions} session(s), schema {schema})",
    ),
    "postgres.driver": (
        "PostgreSQL：设置了 SIM_DATABASE_URL，但没有安装 PostgreSQL 驱动（{list}）",
        "PostgreSQL: SIM_DATABASE_URL is set but the PostgreSQL driver is not installed ({list})",
    ),
    "postgres.driver.fix": ("在仓库目录运行：{command}", "in the clone, run: {command}"),
    "postgres.bad": ("PostgreSQL：{detail}", "PostgreSQL: {detail}"),
    "postgres.fix": (
        "检查 SIM_DATABASE_URL（postgresql://用户:密码@主机:端口/数据库）和服务器是否在运行；或取消设置它，会话就保存在数据文件夹的 SQLite 中",
        "check SIM_DATABASE_URL (postgresql://USER:PASSWORD@HOST:PORT/DATABASE) and that the server is running; or unset it to keep sessions in SQLite in the data folder",
    ),
}


def command_name() -> str:
    """How the user starts this sim: `sim` when that name on PATH is this program, else the
    path they typed (`.venv/bin/sim` after the README's set-up, which puts nothing on PATH),
    else `python -m sim`. Advice that says `sim repair` must be advice that works."""
    typed = sys.argv[0] if sys.argv and sys.argv[0] else ""
    if not typed or typed.endswith(("__main__.py", "-c")):
        return f"{sys.executable} -m sim"
    found = shutil.which("sim")
    if found and Path(found).resolve() == Path(typed).resolve():
        return "sim"
    try:
        relative = os.path.relpath(typed)
    except ValueError:  # another drive on Windows
        return typed
    return relative if not relative.startswith("..") else typed


def say(key: str, lang: str, **values: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, what was found, and how to fix it when it is not ok."""

    id: str
    group: Group
    status: Status
    detail: str
    fix: str | None = None

    @property
    def broken(self) -> bool:
        """A core check that fails makes `sim doctor` exit 1."""
        return self.group == "core" and self.status == "fail"


@dataclass(frozen=True)
class System:
    """Which family of system the fix commands are written for."""

    os: Literal["debian", "fedora", "arch", "alpine", "linux", "macos", "windows"]

    @staticmethod
    def here() -> System:
        if sys.platform == "darwin":
            return System("macos")
        if sys.platform.startswith("win"):
            return System("windows")
        return System(linux_family(_os_release()))


def _os_release() -> str:
    for candidate in (Path("/etc/os-release"), Path("/usr/lib/os-release")):
        try:
            return candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return ""


def linux_family(os_release: str) -> Literal["debian", "fedora", "arch", "alpine", "linux"]:
    """The package family named by /etc/os-release's ID and ID_LIKE (Ubuntu is Debian's)."""
    words: list[str] = []
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            words += value.strip().strip('"').lower().split()
    for family, names in (
        ("debian", {"debian", "ubuntu"}),
        ("fedora", {"fedora", "rhel", "centos"}),
        ("arch", {"arch"}),
        ("alpine", {"alpine"}),
    ):
        if names & set(words):
            return family  # type: ignore[return-value]
    return "linux"


INSTALL: dict[str, dict[str, str]] = {
    "font": {
        "debian": "sudo apt install fonts-noto-cjk",
        "fedora": "sudo dnf install google-noto-sans-cjk-fonts",
        "arch": "sudo pacman -S noto-fonts-cjk",
        "alpine": "sudo apk add font-noto-cjk",
        "linux": "install the Noto Sans CJK fonts from your distribution",
        "macos": "macOS includes PingFang; reinstall it from Font Book if it was removed",
        "windows": "Windows includes Microsoft YaHei: Settings > Time & language > Language, add Chinese (Simplified)",
    },
    "chromium": {
        "debian": "sudo apt install chromium",
        "fedora": "sudo dnf install chromium",
        "arch": "sudo pacman -S chromium",
        "alpine": "sudo apk add chromium",
        "linux": "install Chromium or Google Chrome from your distribution",
        "macos": "brew install --cask chromium (or install Google Chrome)",
        "windows": "install Google Chrome or Microsoft Edge",
    },
    "graphviz": {
        "debian": "sudo apt install graphviz",
        "fedora": "sudo dnf install graphviz",
        "arch": "sudo pacman -S graphviz",
        "alpine": "sudo apk add graphviz",
        "linux": "install Graphviz from your distribution",
        "macos": "brew install graphviz",
        "windows": "winget install graphviz",
    },
}


def install_command(what: str, system: System) -> str:
    return INSTALL[what][system.os]


# ---------------------------------------------------------------------------------------------
# The checks


def check_python(lang: str) -> Check:
    version = platform.python_version()
    if sys.version_info[:2] < MIN_PYTHON:
        return Check(
            "python",
            "core",
            "fail",
            say("python.old", lang, version=version),
            say("python.fix", lang),
        )
    return Check("python", "core", "ok", say("python", lang, version=version, path=sys.executable))


def _requirements() -> list[tuple[str, str]]:
    """(distribution, specifier) of sim's own dependencies, extras left out."""
    found: list[tuple[str, str]] = []
    for line in metadata.requires("sim") or []:
        if "extra ==" in line:
            continue
        requirement = line.split(";")[0].strip()
        name = requirement
        for index, char in enumerate(requirement):
            if char in "<>=!~ [(":
                name = requirement[:index]
                break
        found.append((name.strip(), requirement[len(name) :].strip()))
    return found


def satisfied(version: str, specifier: str) -> bool | None:
    """Whether `version` meets `specifier` (None when `packaging` is not there to tell)."""
    try:
        from packaging.specifiers import SpecifierSet
    except ImportError:
        return None
    return version in SpecifierSet(specifier, prereleases=True)


def check_packages(lang: str) -> Check:
    # This interpreter's own pip: a bare `pip` or `python3 -m pip` may be another Python's,
    # or refused outright by a system Python (PEP 668).
    fix_command = f"{sys.executable} -m pip install -e ."
    try:
        wanted = _requirements()
    except metadata.PackageNotFoundError:
        return Check(
            "packages",
            "core",
            "fail",
            say("packages.bad", lang, list="sim"),
            say("packages.fix", lang, command=fix_command),
        )
    good: list[str] = []
    bad: list[str] = []
    for name, specifier in wanted:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            bad.append(f"{name} ({specifier or 'any'}): not installed")
            continue
        if satisfied(version, specifier) is False:
            bad.append(f"{name} {version} (needs {specifier})")
        else:
            good.append(f"{name} {version}")
    if bad:
        return Check(
            "packages",
            "core",
            "fail",
            say("packages.bad", lang, list="; ".join(bad)),
            say("packages.fix", lang, command=fix_command),
        )
    return Check("packages", "core", "ok", say("packages", lang, list=", ".join(good)))


def check_cases(lang: str) -> Check:
    from sim.case_cache import load_case_cached
    from sim.cases import CaseError
    from sim.library import bundled_scenarios

    paths = bundled_scenarios()
    if not paths:
        return Check("cases", "core", "fail", say("cases.none", lang), say("cases.fix", lang))
    broken: list[str] = []
    for path in paths:
        try:
            load_case_cached(path)
        except CaseError:
            broken.append(path.stem)
    if broken:
        return Check(
            "cases",
            "core",
            "fail",
            say("cases.bad", lang, count=len(broken), names=", ".join(broken)),
            say("cases.fix", lang),
        )
    return Check("cases", "core", "ok", say("cases", lang, count=len(paths)))


def check_folder(lang: str, home: Path) -> Check:
    """Writable means a file can be made there now (permissions, a read-only disk, a file in
    the way all show here, whoever runs it, root included)."""
    probe = home / f".doctor-{os.getpid()}"
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        blocker = next((p for p in (home, *home.parents) if p.is_file()), None)
        if blocker is not None:
            return Check(
                "folder",
                "core",
                "fail",
                say("folder.blocked", lang, path=home, blocker=blocker),
                say("folder.blocked_fix", lang, blocker=blocker),
            )
        return Check(
            "folder",
            "core",
            "fail",
            say("folder.bad", lang, path=home, detail=exc.strerror or exc),
            say("folder.fix", lang),
        )
    return Check("folder", "core", "ok", say("folder", lang, path=home))


def _size(count: int) -> str:
    units = ("B", "KB", "MB", "GB")
    value = float(count)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} B"  # pragma: no cover - the loop always returns


def check_database(lang: str, path: Path) -> Check:
    from sim.store.protocol import StoreError
    from sim.store.sqlite import SqliteStore

    if not path.exists():
        return Check("database", "core", "ok", say("database.none", lang))
    try:
        with SqliteStore(path) as store:
            count = len(store.sessions())
    except StoreError as problem:
        return Check(
            "database",
            "core",
            "fail",
            say("database.bad", lang, detail=str(problem).split("; ")[0]),
            say("database.fix", lang, command=command_name()),
        )
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    return Check("database", "core", "ok", say("database", lang, sessions=count, size=_size(size)))


def _terminal() -> int | None:
    """A standard stream's descriptor that is a terminal: `sim doctor | less` or `--json > f`
    still runs in one, and its size is the one the app would get."""
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        try:
            if stream is not None and stream.isatty():
                return stream.fileno()
        except (OSError, ValueError):
            continue
    return None


def check_terminal(lang: str) -> Iterator[Check]:
    stream = sys.__stdout__
    terminal = _terminal()
    if terminal is None:
        yield Check(
            "tty",
            "terminal",
            "warn",
            say("tty", lang),
            say("tty.fix", lang, command=command_name()),
        )
    else:
        cols, rows = os.get_terminal_size(terminal)
        if cols < MIN_SIZE[0] or rows < MIN_SIZE[1]:
            yield Check(
                "size",
                "terminal",
                "warn",
                say("size.small", lang, cols=cols, rows=rows),
                say("size.fix", lang),
            )
        else:
            yield Check("size", "terminal", "ok", say("size", lang, cols=cols, rows=rows))
    yield colour_check(lang, os.environ)
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if encoding in ("utf-8", "utf8"):
        yield Check("chinese", "terminal", "ok", say("chinese", lang, encoding="UTF-8"))
    else:
        yield Check(
            "chinese",
            "terminal",
            "warn",
            say("chinese.bad", lang, encoding=encoding or "?"),
            say("chinese.fix", lang),
        )


def colour_check(lang: str, env: os._Environ[str] | dict[str, str]) -> Check:
    """Colour depth as Textual would pick it: NO_COLOR, then COLORTERM, then TERM."""
    if env.get("NO_COLOR"):
        return Check("colours", "terminal", "warn", say("colours.none", lang))
    colorterm = env.get("COLORTERM", "").lower()
    term = env.get("TERM", "").lower()
    if colorterm in ("truecolor", "24bit"):
        return Check(
            "colours", "terminal", "ok", say("colours", lang, depth=say("depth.true", lang))
        )
    if "256" in term or sys.platform.startswith("win"):
        return Check(
            "colours", "terminal", "ok", say("colours", lang, depth=say("depth.256", lang))
        )
    return Check(
        "colours",
        "terminal",
        "warn",
        say("colours.few", lang, depth=say("depth.16", lang)),
        say("colours.fix", lang),
    )


MACOS_FONTS = (
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/Hiragino Sans GB.ttc"),
    Path("/System/Library/Fonts/STHeiti Light.ttc"),
)
WINDOWS_FONTS = ("msyh.ttc", "simsun.ttc", "simhei.ttf", "Deng.ttf")


def chinese_font(
    system: System, run: Callable[[list[str]], str | None]
) -> str | Literal[False] | None:
    """The first font family that covers Chinese; None if there is none; False if this system
    cannot be asked (Linux without fontconfig's `fc-list`)."""
    if system.os == "macos":
        return next((p.stem for p in MACOS_FONTS if p.exists()), None)
    if system.os == "windows":
        folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        return next((name for name in WINDOWS_FONTS if (folder / name).exists()), None)
    listed = run(["fc-list", ":lang=zh", "family"])
    if listed is None:
        return False
    families = [line.split(",")[0].strip() for line in listed.splitlines() if line.strip()]
    return sorted(families)[0] if families else None


def _run(command: list[str]) -> str | None:
    """A tool's standard output (and error, where some print their version), or None when the
    tool is not on PATH or does not answer within a few seconds."""
    program = shutil.which(command[0])
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, *command[1:]],
            capture_output=True,
            text=True,
            timeout=10,
            errors="replace",
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout or "") + (done.stderr or "")


WEB_PACKAGES = ("starlette", "uvicorn", "segno")


def check_web(lang: str) -> Check:
    """The `web` extra that `sim serve` needs (the rest of sim never imports it)."""
    found: list[str] = []
    missing: list[str] = []
    for name in WEB_PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        command = f"{sys.executable} -m pip install -e '.[web]'"
        return Check(
            "web",
            "extras",
            "missing",
            say("web.none", lang, list=", ".join(missing)),
            say("web.fix", lang, command=command),
        )
    return Check("web", "extras", "ok", say("web", lang, list=", ".join(found)))


def check_extras(
    lang: str, system: System, run: Callable[[list[str]], str | None]
) -> Iterator[Check]:
    font = chinese_font(system, run)
    fix = install_command("font", system)
    if font is False:
        yield Check("font", "extras", "warn", say("font.unknown", lang), fix)
    elif font is None:
        yield Check("font", "extras", "missing", say("font.none", lang), fix)
    else:
        yield Check("font", "extras", "ok", say("font", lang, family=font))
    from sim.report.pdf import find_chromium

    chromium = find_chromium()
    if chromium is None:
        yield Check(
            "chromium",
            "extras",
            "missing",
            say("chromium.none", lang),
            install_command("chromium", system),
        )
    else:
        yield Check("chromium", "extras", "ok", say("chromium", lang, path=chromium))
    version = run(["dot", "-V"])
    if version is None:
        yield Check(
            "graphviz",
            "extras",
            "missing",
            say("graphviz.none", lang),
            install_command("graphviz", system),
        )
    else:
        first = version.strip().splitlines()[0] if version.strip() else "dot"
        yield Check("graphviz", "extras", "ok", say("graphviz", lang, version=first[:80]))
    yield check_web(lang)
    if database_url() is None:
        yield Check("postgres", "extras", "off", say("postgres.off", lang))


def check_postgres(lang: str, url: str) -> Check:
    """SIM_DATABASE_URL is set: the sessions live there, so it is a core check — connect,
    and name the server's version and the sessions it holds, or what is wrong."""
    from sim.store.location import mask_url
    from sim.store.protocol import StoreError
    from sim.store.sqlite import open_postgres

    missing = []
    for name in ("psycopg", "psycopg-pool"):
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check(
            "postgres",
            "core",
            "fail",
            say("postgres.driver", lang, list=", ".join(missing)),
            say(
                "postgres.driver.fix",
                lang,
                command=f"{sys.executable} -m pip install -e '.[postgres]'",
            ),
        )
    try:
        store = open_postgres(url, wait=0)  # a diagnosis says what is wrong now
        try:
            sessions = len(store.sessions())
            schema = store.schema_version
            version = str(getattr(store, "server_version", "?"))
        finally:
            store.close()
    except StoreError as problem:
        return Check(
            "postgres",
            "core",
            "fail",
            say("postgres.bad", lang, detail=str(problem).split("; ")[0]),
            say("postgres.fix", lang),
        )
    return Check(
        "postgres",
        "core",
        "ok",
        say(
            "postgres", lang, url=mask_url(url), version=version, sessions=sessions, schema=schema
        ),
    )


def examine(lang: str, run: Callable[[list[str]], str | None] = _run) -> list[Check]:
    """Every check, in the order they are shown."""
    from sim.library import data_home
    from sim.store.sqlite_file import database_path

    system = System.here()
    checks = [check_python(lang), check_packages(lang), check_cases(lang)]
    home = data_home()
    folder = check_folder(lang, home)
    checks.append(folder)
    url = database_url()
    if url is not None:
        checks.append(check_postgres(lang, url))
    elif folder.status == "ok":
        checks.append(check_database(lang, database_path()))
    checks += list(check_terminal(lang))
    checks += list(check_extras(lang, system, run))
    return checks


MARKS: dict[Status, str] = {"ok": "✓", "warn": "!", "missing": "✗", "fail": "✗", "off": "–"}


def render(checks: list[Check], lang: str, version: str) -> str:
    lines = [say("title", lang, version=version)]
    for group in ("core", "terminal", "extras"):
        members = [c for c in checks if c.group == group]
        if not members:
            continue
        lines += ["", say(f"group.{group}", lang)]
        for check in members:
            lines.append(f"  {MARKS[check.status]} {check.detail}")
            if check.fix and check.status != "ok":
                lines.append(f"      {say('fix', lang)}{check.fix}")
    closing = "core_broken" if any(c.broken for c in checks) else "all_ok"
    lines += ["", say(closing, lang, command=command_name())]
    return "\n".join(lines)


def as_json(checks: list[Check], version: str) -> dict[str, object]:
    return {
        "version": version,
        "ok": not any(c.broken for c in checks),
        "checks": [asdict(c) for c in checks],
    }


def user_language(explicit: str | None) -> str:
    """`--lang`, else the app's remembered language, else the locale's, else Chinese (the
    app's own default)."""
    if explicit in ("zh", "en"):
        return explicit
    from sim.tui.settings import load_preferences

    remembered = load_preferences().lang
    if remembered in ("zh", "en"):
        return remembered
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value.startswith("zh"):
            return "zh"
        if value.startswith("en"):
            return "en"
    return "zh"


def font_warning(html: str, what: str, pdf: bool) -> str | None:
    """One line for `sim report` and `sim handout`: the page holds Chinese, and this machine
    has no font to show it (so its own browser, and a PDF printed here, show boxes)."""
    from sim.report.html import shows_cjk

    if not shows_cjk(html):
        return None
    system = System.here()
    if chinese_font(system, _run) is not None:  # a font, or no way to ask: say nothing
        return None
    return (
        f"note: this machine has no Chinese font, so the Chinese in this {what} shows as boxes "
        f"here; install one ({install_command('font', system)}), then "
        + ("run this command again" if pdf else "open the file again")
        + f"; `{command_name()} doctor` checks this machine"
    )
