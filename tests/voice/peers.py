"""SIP software nobody here wrote, started for one test on free loopback ports and killed after.

baresip answers as an independent user agent, playing a prompt synthesised with flite;
Kamailio is a registrar and proxy with digest authentication. Each runs in the foreground of
its own process, its output read line by line so a test waits on what it says, never on a
fixed sleep.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from journeys.channels.voice.audio import Samples

PROMPT = "Thank you for calling Brightline Appliances. For orders, press one."
LEADING_SILENCE = 1.0


def require(*programs: str) -> None:
    """Skip the test where the system lacks a program (``make voice`` installs them)."""
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (make voice)")


def free_port() -> int:
    """A port free for both UDP and TCP on loopback, for a peer that listens on both, with the
    next port free for TCP too: baresip listens for SIP over TLS there, and failed to start in a
    fresh clone's run when another test held it ('SIP/TLS transport failed: Address already in
    use')."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            with (
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
                socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tls,
            ):
                try:
                    udp.bind(("127.0.0.1", port))
                    tls.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
                return port
    raise RuntimeError("no port free for both UDP and TCP on 127.0.0.1")


def read_wav(path: Path) -> tuple[Samples, int]:
    with wave.open(str(path)) as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(
            np.int16
        ), wav.getframerate()


def synthesise(
    text: str, folder: Path, *, leading_silence: float = LEADING_SILENCE, rate: int = 8000
) -> Path:
    """``text`` spoken by flite's ``slt`` voice, after ``leading_silence`` seconds, as a WAV at ``rate``."""
    spoken, prompt = folder / "spoken.wav", folder / "prompt.wav"
    subprocess.run(["flite", "-voice", "slt", "-t", text, "-o", str(spoken)], check=True)
    subprocess.run(
        [
            "sox",
            "-D",
            str(spoken),
            "-r",
            str(rate),
            "-c",
            "1",
            "-b",
            "16",
            str(prompt),
            "pad",
            str(leading_silence),
            "2",
        ],
        check=True,
    )
    return prompt


def as_16k(path: Path, folder: Path) -> Path:
    """A WAV upsampled to 16 kHz, as the conference bridge hands calls' audio to the harness."""
    upsampled = folder / f"{path.stem}-16k.wav"
    subprocess.run(["sox", "-D", str(path), "-r", "16000", str(upsampled)], check=True)
    return upsampled


def first_sound(path: Path, threshold: int = 300) -> float:
    """Seconds into a WAV of its first sample louder than ``threshold``: where speech begins."""
    samples, rate = read_wav(path)
    return float(np.nonzero(np.abs(samples) > threshold)[0][0]) / rate


class Output:
    """A process's output lines, kept as they come, so a test can wait for one."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """The first line containing ``text``; fails the test with the output when none came."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((ln for ln in self.lines if text in ln), None), timeout
            )
        assert found, f"never saw {text!r} in:\n" + "\n".join(self.lines[-40:])
        return found

    def count(self, text: str) -> int:
        with self._changed:
            return sum(text in line for line in self.lines)


@contextmanager
def running(command: list[str]) -> Iterator[Output]:
    """Run ``command`` for the block, reading its output; kill it afterwards, whatever happened."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield Output(process)
    finally:
        # Its own process group: Kamailio's children go with it.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@dataclass(frozen=True)
class Baresip:
    """A running baresip: its address, the prompt it plays, and its output."""

    user: str
    port: int
    prompt: Path
    output: Output

    @property
    def uri(self) -> str:
        return f"sip:{self.user}@127.0.0.1:{self.port}"


BARESIP_CONFIG = """\
poll_method epoll
sip_listen 127.0.0.1:{port}
audio_player aubridge,nowhere
audio_alert aubridge,nowhere
audio_source aufile,{prompt}
module_path /usr/lib/baresip/modules
module aubridge.so
module g711.so
module aufile.so
module account.so
module menu.so
"""


@contextmanager
def baresip(
    folder: Path,
    prompt: Path,
    *,
    user: str = "alice",
    registrar: str | None = None,
    password: str | None = None,
) -> Iterator[Baresip]:
    """baresip answering every call at once with ``prompt``; registered at ``registrar`` if given.

    Its audio player is an unpaired ``aubridge`` device (it hears nothing), as no null player
    exists in baresip 1.0; its source is ``aufile``, which plays the prompt once.
    """
    require("baresip")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (folder / "config").write_text(BARESIP_CONFIG.format(port=port, prompt=prompt))
    if registrar is None:
        account = (
            f"<sip:{user}@127.0.0.1:{port};transport=udp>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA"
        )
    else:
        host = registrar.removeprefix("sip:")
        account = (
            f"<sip:{user}@{host};transport=udp>;auth_pass={password};"
            "regint=600;answermode=auto;audio_codecs=PCMU,PCMA"
        )
    (folder / "accounts").write_text(account + "\n")
    # Line-buffered, so each line reaches the test when baresip prints it, not when a block fills.
    with running(["stdbuf", "-oL", "baresip", "-f", str(folder), "-v"]) as output:
        output.wait_for("baresip is ready")
        yield Baresip(user, port, prompt, output)


KAMAILIO_CONFIG = """\
#!KAMAILIO
debug=2
log_stderror=yes
fork=no
children=2
listen=udp:127.0.0.1:{port}
listen=tcp:127.0.0.1:{port}
alias="127.0.0.1"
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "xlog.so"

request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (has_totag()) {{
        if (loose_route()) {{ t_relay(); exit; }}
        if (is_method("ACK")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
        sl_send_reply("404", "Not here"); exit;
    }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    if (is_method("REGISTER")) {{
        if (!pv_www_authenticate("$td", "{password}", "0")) {{ www_challenge("$td", "0"); exit; }}
        save("location");
        exit;
    }}
    if (!pv_proxy_authenticate("$fd", "{password}", "0")) {{ proxy_challenge("$fd", "0"); exit; }}
    consume_credentials();
    remove_hf("Route");
    record_route();
    if (!lookup("location")) {{ sl_send_reply("404", "Not Found"); exit; }}
    xlog("L_INFO", "routing $rm from $fu to $ru\\n");
    t_relay();
}}
"""


@contextmanager
def kamailio(folder: Path, password: str) -> Iterator[tuple[str, Output]]:
    """Kamailio as registrar and proxy, every request authenticated with ``password``."""
    require("kamailio")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "kamailio.cfg"
    config.write_text(KAMAILIO_CONFIG.format(port=port, password=password))
    command = [
        "kamailio",
        "-f",
        str(config),
        "-DD",
        "-E",
        "-Y",
        str(folder),
        "-w",
        str(folder),
        "-P",
        str(folder / "pid"),
    ]
    with running(command) as output:
        output.wait_for("SO_RCVBUF is finally", timeout=20)
        yield f"sip:127.0.0.1:{port}", output
