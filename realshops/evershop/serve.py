"""Serve EverShop, a real open-source shop nobody here wrote, on loopback for a test session.

    python realshops/evershop/serve.py --host 127.0.0.1 --port 0 --parent-pid N

EverShop (npm ``@evershop/evershop``) must first be installed and built by
``realshops/evershop/install``. This script then, in a temporary folder:

1. creates a throwaway PostgreSQL cluster on a free loopback port (as the ``postgres``
   user when run as root, since PostgreSQL refuses to run as root);
2. starts EverShop's own ``evershop start``, which migrates the empty database;
3. seeds the shop the way its owner would: an admin user through EverShop's
   ``user:create`` command, then the store settings, cash on delivery, a shipping zone
   with its methods and rates, a package size, the products and a home-page collection
   through EverShop's admin REST API (``catalogue.json`` says what);
4. prints exactly one line on standard output, ``listening on http://HOST:PORT``, once
   the storefront's home page and every product's page answer 200.

It stops everything (EverShop's three Node processes and PostgreSQL) and removes the
folder on SIGTERM or SIGINT, when the ``--parent-pid`` process ends, or when EverShop
or PostgreSQL dies; progress and the servers' own output go to standard error.

Linux only (``pidfd_open``, ``/proc``). Standard library only, so any Python 3.11 runs it.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import pwd
import random
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
INSTALL_DIR = ROOT / ".cache" / "evershop"
STAMP = INSTALL_DIR / ".installed"
EVERSHOP_BIN = INSTALL_DIR / "node_modules" / "@evershop" / "evershop" / "dist" / "bin" / "evershop.js"
CATALOGUE = HERE / "catalogue.json"
ADMIN_EMAIL = "harness-admin@harborlane.example"
MINIMUM_POSTGRES = 13
STEP_TIMEOUT = 120.0  # seconds for each step: PostgreSQL, EverShop, seeding, its pages answering
STOP_GRACE = 10.0
PORTS_FROM = 20000  # free ports are picked from here up to the ephemeral range


class ServeError(Exception):
    """Raised when the shop cannot be started; the message is one line for a person."""


class Stop(BaseException):
    """Raised in the main thread by SIGTERM or SIGINT: stop everything and exit."""


@dataclass(frozen=True)
class Ports:
    """Where the two servers listen."""

    host: str
    postgres: int
    http: int

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.http}"


class Phases:
    """How long each step of starting took, for the one line that says so."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.seconds: dict[str, float] = {}

    def done(self, phase: str) -> None:
        now = time.monotonic()
        self.seconds[phase] = now - self.last
        self.last = now

    def __str__(self) -> str:
        parts = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in self.seconds.items())
        return f"{self.last - self.started:.1f} s ({parts})"


class Child:
    """A server process whose output is copied to our standard error, line by line.

    ``ready`` is set when a line contains ``ready_text``, or when the output ends (the
    process is exiting); ``said_ready`` tells which.
    """

    def __init__(self, name: str, command: list[str], ready_text: str, **popen: Any) -> None:
        self.name = name
        self.ready_text = ready_text
        self.ready = threading.Event()
        self.said_ready = False
        self.last_line = ""
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen
        )
        self.pidfd = os.pidfd_open(self.process.pid)
        threading.Thread(target=self._pump, name=f"{name}-output", daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line.strip():
                self.last_line = line.strip()
                sys.stderr.write(f"[{self.name}] {line}\n")
            if not self.said_ready and self.ready_text in line:
                self.said_ready = True
                self.ready.set()
        self.ready.set()

    def wait_ready(self, timeout: float) -> None:
        """Block until the ready line, or raise ServeError saying why not."""
        if not self.ready.wait(timeout):
            raise ServeError(
                f"{self.name} did not start within {timeout:.0f} s (last line: {self.last_line})"
            )
        if not self.said_ready:
            self.process.wait()
            raise ServeError(
                f"{self.name} exited with status {self.process.returncode} while starting"
                f" (last line: {self.last_line})"
            )


def main(argv: list[str] | None = None) -> int:
    options = _parse(argv)
    _lead_own_process_group()
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    folder: Path | None = None
    children: list[Child] = []
    failure = ""
    try:
        _check_installed()
        bindir = postgres_bindir()
        folder = Path(tempfile.mkdtemp(prefix="mystery-shopper-evershop-"))
        _note(f"working in {folder}")
        phases = Phases()
        ports = Ports(
            options.host,
            postgres=free_port(options.host),
            http=options.port or free_port(options.host),
        )
        children.append(start_postgres(bindir, folder, ports))
        children[-1].wait_ready(STEP_TIMEOUT)
        phases.done("PostgreSQL")
        env = evershop_environment(ports)
        children.append(start_evershop(env))
        children[-1].wait_ready(STEP_TIMEOUT)
        phases.done("EverShop")
        catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
        seed(ports.base_url, env, catalogue)
        phases.done("seeding")
        pages = ["/", *(f"/{product['url_key']}" for product in catalogue["products"])]
        wait_until_served(ports.base_url, pages, STEP_TIMEOUT)
        phases.done("pages")
        _note(f"ready in {phases}; memory {memory_mib(os.getpid()):.0f} MiB (PSS of all its processes)")
        print(f"listening on {ports.base_url}", flush=True)
        return _serve_until_stopped(children, options.parent_pid)
    except Stop:
        return 0
    except ServeError as error:
        failure = str(error)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_children(children)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if failure:  # last, after the servers' own goodbyes, so a caller shows this line
            _note(failure)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1", type=_loopback_host, help="a loopback address")
    parser.add_argument("--port", default=0, type=int, help="the storefront's port; 0 picks a free one")
    parser.add_argument("--parent-pid", type=int, default=None, help="stop when this process ends")
    return parser.parse_args(argv)


def _loopback_host(value: str) -> str:
    address = "127.0.0.1" if value == "localhost" else value
    try:
        loopback = ipaddress.ip_address(address).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a loopback address: the shop serves on loopback only"
        )
    return address


def _lead_own_process_group() -> None:
    """Make our process group ours alone, so that stopping it stops only what we started."""
    if os.getpgrp() != os.getpid():
        os.setpgid(0, 0)


def _raise_stop(signum: int, frame: types.FrameType | None) -> None:
    raise Stop


def _note(message: str) -> None:
    sys.stderr.write(f"evershop: {message}\n")
    sys.stderr.flush()


def _check_installed() -> None:
    if not STAMP.is_file() or not EVERSHOP_BIN.is_file():
        raise ServeError(
            f"EverShop is not installed in {INSTALL_DIR}: run realshops/evershop/install (or make setup)"
        )
    if shutil.which("node") is None:
        raise ServeError("node is not on PATH: EverShop needs Node.js 20 or newer")


def postgres_bindir() -> Path:
    """The newest PostgreSQL server's bin folder (Debian's layout first, then PATH)."""
    candidates: list[tuple[int, Path]] = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        with contextlib.suppress(ValueError):
            candidates.append((int(initdb.parent.parent.name), initdb.parent))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append((MINIMUM_POSTGRES, Path(on_path).resolve().parent))
    usable = [(version, bindir) for version, bindir in candidates if version >= MINIMUM_POSTGRES]
    if not usable:
        raise ServeError(
            f"no PostgreSQL {MINIMUM_POSTGRES}+ server found: run realshops/evershop/install as root,"
            " or install Debian's postgresql package"
        )
    return max(usable)[1]


def free_port(host: str) -> int:
    """A port free now, below the kernel's ephemeral range where it can be.

    The port is bound only seconds later (EverShop listens after its migrations), and in
    between every outgoing connection, EverShop's own to PostgreSQL included, takes a local
    port from the ephemeral range: one of those could take a port picked from there.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    lowest_ephemeral = _lowest_ephemeral_port()
    below = range(PORTS_FROM, max(PORTS_FROM, lowest_ephemeral))
    candidates = random.sample(below, min(50, len(below)))
    for port in [*candidates, 0]:  # 0: the kernel's choice, when none of those is free
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise ServeError(f"no free port on {host}")


def _lowest_ephemeral_port() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return PORTS_FROM


def _postgres_user() -> dict[str, Any]:
    """Popen arguments that run PostgreSQL as ``postgres`` when we are root (it refuses root)."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError as error:
        raise ServeError("running as root, but there is no postgres user to run PostgreSQL as") from error
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def start_postgres(bindir: Path, folder: Path, ports: Ports) -> Child:
    """Start a fresh cluster in ``folder``, trusting loopback only, tuned for a throwaway database."""
    as_postgres = _postgres_user()
    if as_postgres:
        os.chown(folder, as_postgres["user"], as_postgres["group"])
    data = folder / "data"
    initdb = subprocess.run(
        [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--locale=C", "--no-sync"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, **as_postgres,
    )  # fmt: skip
    if initdb.returncode != 0:
        said = (initdb.stderr.strip().splitlines() or ["(nothing)"])[-1]
        raise ServeError(f"initdb failed: {said}")
    postgres = Child(
        "postgres",
        [str(bindir / "postgres"), "-D", str(data), "-p", str(ports.postgres), "-k", str(folder),
         "-c", f"listen_addresses={ports.host}", "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off", "-c", "max_connections=100"],
        "ready to accept connections",
        **as_postgres,
    )  # fmt: skip
    return postgres


def evershop_environment(ports: Ports) -> dict[str, str]:
    """EverShop's settings, all from the environment: nothing is written into the install."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DB_", "JWT_", "NODE_"))}
    env.update(
        NODE_ENV="production",
        NODE_OPTIONS=f'--require "{HERE / "loopback.cjs"}"',  # quoted: the path may hold spaces
        MYSTERY_SHOPPER_LISTEN_HOST=ports.host,
        PORT=str(ports.http),
        EVERSHOP_HOME_URL=ports.base_url,
        DB_HOST=ports.host,
        DB_PORT=str(ports.postgres),
        DB_NAME="postgres",
        DB_USER="postgres",
        DB_PASSWORD="",
        DB_SSLMODE="disable",
        # Fresh per run: nothing signed by one run is valid in another.
        JWT_ADMIN_SECRET=secrets.token_hex(32),
        JWT_ADMIN_REFRESH_SECRET=secrets.token_hex(32),
        JWT_CUSTOMER_SECRET=secrets.token_hex(32),
        JWT_CUSTOMER_REFRESH_SECRET=secrets.token_hex(32),
        ORDER_TRACKING_TOKEN_SECRET=secrets.token_hex(32),
        NODE_CONFIG=json.dumps({"system": {"session": {"cookieSecret": secrets.token_hex(32)}}}),
        SUPPRESS_NO_CONFIG_WARNING="1",
    )
    return env


def start_evershop(env: dict[str, str]) -> Child:
    """Start ``evershop start``: it migrates the database, then serves the storefront and the admin."""
    return Child("evershop", ["node", str(EVERSHOP_BIN), "start"], "Your website is running at",
                 cwd=INSTALL_DIR, env=env)  # fmt: skip


class AdminApi:
    """EverShop's admin REST API, as its own admin pages call it, with a bearer token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.token = ""

    def login(self, email: str, password: str) -> None:
        tokens = self.post("/api/user/tokens", {"email": email, "password": password})
        self.token = str(tokens["accessToken"])

    def post(self, path: str, payload: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise ServeError(f"EverShop refused POST {path}: {_api_message(error)}") from error
        except (urllib.error.URLError, OSError) as error:
            raise ServeError(f"EverShop did not answer POST {path}: {error}") from error
        if "data" not in body:
            raise ServeError(f"EverShop answered POST {path} without data: {str(body)[:200]}")
        return body["data"]


def _api_message(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read() or b"{}")
    except ValueError:
        return f"HTTP {error.code}"
    message = body.get("error", {}).get("message") or body.get("message") or ""
    return f"HTTP {error.code} {message}".strip()


def seed(base_url: str, env: dict[str, str], catalogue: dict[str, Any]) -> None:
    """Set the shop up through EverShop's own command and admin API, as its owner would."""
    # starts with a letter: a token starting with "-" is read by the command as another option,
    # leaving the password empty ("at least 8 characters long", once in 64 set-ups)
    password = "Ms" + secrets.token_urlsafe(18) + "a1"
    try:
        created = subprocess.run(
            ["node", str(EVERSHOP_BIN), "user:create", "--name", "Harness Admin", "--email", ADMIN_EMAIL,
             "--password", password],
            cwd=INSTALL_DIR, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            check=False, timeout=STEP_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired as error:
        raise ServeError(f"evershop user:create did not finish within {STEP_TIMEOUT:.0f} s") from error
    if created.returncode != 0:
        said = (created.stdout + created.stderr).strip()
        raise ServeError(f"evershop user:create failed: {said[-300:]}")
    api = AdminApi(base_url)
    api.login(ADMIN_EMAIL, password)
    api.post("/api/settings", {**catalogue["store"], **catalogue["cash_on_delivery"]})
    package = api.post("/api/packages", catalogue["package"])
    zone = api.post("/api/shippingZones", catalogue["shipping_zone"])
    for method in catalogue["shipping_methods"]:
        created_method = api.post(
            "/api/shippingProviders/core/methods",
            {"name": method["name"], "is_enabled": True, "sort_order": method["sort_order"]},
        )
        api.post(
            "/api/shippingProviders/core/rates",
            {"method_id": created_method["uuid"], "zone_id": zone["uuid"], "is_enabled": True,
             "cost": method["cost"]},
        )  # fmt: skip
    collection = api.post("/api/collections", catalogue["collection"])
    for product in catalogue["products"]:
        created_product = api.post(
            "/api/products",
            {**product, "status": 1, "visibility": 1, "manage_stock": 1, "stock_availability": 1,
             "group_id": 1, "package_id": package["package_id"]},
        )  # fmt: skip
        api.post(f"/api/collections/{collection['uuid']}/products", {"product_id": created_product["uuid"]})
    api.post(
        "/api/widgets",
        {"name": "Featured products", "type": "collection_products", "status": 1,
         "route": ["homepage"], "area": ["content"],
         "settings": {"collection": catalogue["collection"]["code"], "count": 12, "countPerRow": 3,
                      "heading": catalogue["collection"]["name"]}},
    )  # fmt: skip


def wait_until_served(base_url: str, paths: list[str], timeout: float) -> None:
    """Wait until every path answers 200, or raise ServeError.

    A product's own address (``/enamel-camp-mug``) is a URL rewrite that EverShop's event
    process writes after the product is created, a moment later, so it is waited for:
    asked again, less and less often, until the deadline.
    """
    deadline = time.monotonic() + timeout
    for path in paths:
        pause = 0.05
        while (status := _status(base_url + path)) != 200:
            if time.monotonic() + pause > deadline:
                raise ServeError(f"the storefront's {base_url}{path} answered {status} for {timeout:.0f} s")
            time.sleep(pause)  # a back-off between two questions, not a wait for the answer
            pause = min(pause * 2, 1.0)


def _status(url: str) -> str | int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError) as error:
        return str(error)


def _serve_until_stopped(children: list[Child], parent_pid: int | None) -> int:
    """Wait for a stop signal (raised as Stop), the parent's end, or a server's death."""
    selector = selectors.DefaultSelector()
    for child in children:
        selector.register(child.pidfd, selectors.EVENT_READ, child)
    if parent_pid is not None:
        try:
            selector.register(os.pidfd_open(parent_pid), selectors.EVENT_READ, None)
        except ProcessLookupError:
            _note(f"parent process {parent_pid} is gone: stopping")
            return 0
    while True:
        for key, _events in selector.select():
            child = key.data
            if child is None:
                _note(f"parent process {parent_pid} ended: stopping")
                return 0
            _note(f"{child.name} exited unexpectedly (last line: {child.last_line}): stopping")
            return 1


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``, read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    frontier = [pid]
    while frontier:
        children = parents.get(frontier.pop(), [])
        found.extend(children)
        frontier.extend(children)
    return found


def memory_mib(pid: int) -> float:
    """Memory of ``pid`` and everything below it, in MiB: the sum of proportional set sizes,
    which counts a page shared by several processes (PostgreSQL's buffers) once in all."""
    total_kib = 0
    for each in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
    return total_kib / 1024


def stop_children(children: list[Child]) -> None:
    """Stop EverShop first (its worker processes too), then PostgreSQL with a fast shutdown."""
    for child in reversed(children):
        if child.name == "postgres":
            _stop(child, signal.SIGINT, fallback=signal.SIGQUIT, whole_tree=False)
        else:
            _stop(child, signal.SIGTERM, fallback=signal.SIGKILL, whole_tree=True)


def _stop(child: Child, polite: signal.Signals, fallback: signal.Signals, *, whole_tree: bool) -> None:
    """Ask politely, then less so; wait on exit events, never on a clock."""
    tree = [child.process.pid, *descendants(child.process.pid)]
    for pid in tree if whole_tree else tree[:1]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, polite)
    for escalation in (fallback, signal.SIGKILL):
        if _all_gone(tree, STOP_GRACE):
            break
        _note(f"{child.name} is still running after {STOP_GRACE:.0f} s: sending {escalation.name}")
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, escalation)
    child.process.wait()


def _all_gone(pids: list[int], timeout: float) -> bool:
    """Wait, on the processes' own exit events, until none of ``pids`` runs."""
    deadline = time.monotonic() + timeout
    with contextlib.ExitStack() as stack:
        selector = stack.enter_context(selectors.DefaultSelector())
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                fd = os.pidfd_open(pid)
                stack.callback(os.close, fd)
                selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            for key, _events in selector.select(remaining):
                selector.unregister(key.fd)
    return True


if __name__ == "__main__":
    sys.exit(main())
