"""EverShop, started by serve.py the way the harness starts a company's server, serves the
seeded catalogue on loopback and leaves nothing running once stopped."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import sys
import urllib.request
from pathlib import Path

import pytest

from journeys.company.profile import ServerSpec
from journeys.runner.server import start_server, stop_process
from realshops.evershop import serve

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "realshops" / "evershop" / "serve.py"
READY = re.compile(r"listening on (?P<url>http://\S+)")
STARTUP_TIMEOUT = 180.0
STOP_GRACE = 60.0

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="serve.py runs on Linux only (/proc, pidfd)")


def test_evershop_serves_the_seeded_shop_on_loopback_then_stops_cleanly(
    evershop_installed: Path, tmp_path: Path
) -> None:
    catalogue = json.loads(serve.CATALOGUE.read_text(encoding="utf-8"))
    command = [
        sys.executable,
        str(SERVE),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--parent-pid",
        str(os.getpid()),
    ]
    spec = ServerSpec(tuple(command), READY, None, STARTUP_TIMEOUT)
    log = tmp_path / "evershop.log"
    running, process = start_server(spec, command, ROOT, log)
    tree = [(pid, _started_at(pid)) for pid in serve.descendants(running.pid)]
    try:
        assert running.url.startswith("http://127.0.0.1:")
        home = _get(running.url + "/")
        for product in catalogue["products"]:
            assert product["name"] in home, f"{product['name']} is not on the home page"
            assert f"${product['price']}" in home
            page = _get(f"{running.url}/{product['url_key']}")
            assert product["name"] in page and product["sku"] in page and "Add to cart" in page
        assert catalogue["store"]["storeName"] in home
        listening = _listening_addresses({pid for pid, _ in tree})
        assert listening, "found no listening socket of EverShop or PostgreSQL"
        assert all(address in ("127.0.0.1", "::1") for address in listening), listening
    finally:
        stop_process(running.pid, grace=STOP_GRACE)
        process.wait()
    left = [pid for pid, started in tree if started is not None and _started_at(pid) == started]
    assert not left, f"still running after stop: {left}\n{log.read_text(encoding='utf-8')[-2000:]}"
    folder = re.search(r"working in (\S+)", log.read_text(encoding="utf-8"))
    assert folder is not None and not Path(folder.group(1)).exists(), "the temporary folder was left behind"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        return str(response.read().decode("utf-8"))


def _started_at(pid: int) -> str | None:
    """When a live process started (tells it from a later one reusing its pid); None once it
    has exited, including an exited process its new parent has not yet reaped (a zombie)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def _listening_addresses(pids: set[int]) -> set[str]:
    """The local addresses of the TCP sockets these processes listen on, from /proc."""
    inodes: set[str] = set()
    for pid in pids:
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        inodes.update(link[len("socket:[") : -1] for link in links if link.startswith("socket:["))
    addresses: set[str] = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                addresses.add(_address(fields[1].split(":")[0], width))
    return addresses


def _address(hex_address: str, width: int) -> str:
    raw = bytes.fromhex(hex_address)
    # /proc/net prints each 32-bit word in host (little-endian) order
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(words if width == 32 else words[:4]))
