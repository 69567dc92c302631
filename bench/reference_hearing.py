"""How often the harness hears a reference read out on a call exactly, with and without the
second hearing in the reference's shape (``journeys.channels.voice.references``).

Each case is one of the demo company's lines that carries a reference (from its ``phrases``
file, ``companies/sandbox-phone-lines.txt``), with fresh random digits, said by flite (slt) as
the demo's line says it. It is carried as a wideband call carries it (16 kHz, what G.722
keeps; the line and the harness prefer G.722) or, with ``--narrowband``, through G.711 μ-law;
``--loss`` silences that share of its 20 ms frames, the holes a loaded machine leaves in a
call's audio. Both recognisers have the demo's lines as their language model; one is also
given the profile's ``reference_given`` patterns. Printed: references right, out of the
cases, and the seconds each spent decoding (one core).

Run: ``.venv/bin/python bench/reference_hearing.py [--cases N] [--seed S] [--loss F] [--narrowband]``.
Bench code may import the sandbox; the harness never does.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journeys.channels.voice.speech import (  # noqa: E402
    PocketsphinxRecogniser,
    Recogniser,
    Samples,
    Voice,
    through_telephone,
)
from journeys.channels.voice.spoken import written_form  # noqa: E402
from journeys.company.profile import load_company  # noqa: E402
from sandbox.phone.speech import speakable  # noqa: E402

FRAME = 320
"""20 ms at 16 kHz."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--loss", type=float, default=0.0, help="share of 20 ms frames silenced")
    parser.add_argument("--narrowband", action="store_true", help="through G.711 μ-law")
    options = parser.parse_args()
    company = load_company("sandbox", ROOT)
    phone, conversation = company.phone, company.conversation_on("phone")
    assert phone is not None and conversation is not None
    patterns = conversation.patterns["reference_given"]
    lines, names = phone.lines(), phone.words
    carrying = [line for line in lines if any(pattern.search(line) for pattern in patterns)]
    first = PocketsphinxRecogniser(vocabulary=names, sentences=lines)
    second = PocketsphinxRecogniser(
        vocabulary=names, sentences=lines, references=[pattern.pattern for pattern in patterns]
    )
    rng, voice = random.Random(options.seed), Voice("slt")
    right = {"first hearing": 0, "with the second": 0}
    spent = dict.fromkeys(right, 0.0)
    for _ in range(options.cases):
        line = rng.choice(carrying)
        match = next(hit for pattern in patterns if (hit := pattern.search(line)))
        old = match.group("reference") if "reference" in match.re.groupindex else match.group(0)
        new = re.sub(r"\d", lambda _: str(rng.randrange(10)), old)
        samples = voice.say(speakable(line.replace(old, new)))
        if options.narrowband:
            samples = through_telephone(samples)
        samples = with_holes(samples, options.loss, rng)
        heard: list[str] = []
        for name, recogniser in (("first hearing", first), ("with the second", second)):
            text, seconds = timed(recogniser, samples)
            written = written_form(text, names)
            spent[name] += seconds
            found = any(new in (m.group(0) for m in pattern.finditer(written)) for pattern in patterns)
            right[name] += found
            heard.append(f"{'ok' if found else 'MISS'} {written!r}")
        if not heard[0].startswith("ok") or not heard[1].startswith("ok"):
            print(f"{new}: " + " | ".join(heard))
    way = "G.711" if options.narrowband else "wideband"
    print(
        f"seed {options.seed}, {way}, {options.loss:.0%} of frames lost: "
        + ", ".join(f"{name} {right[name]}/{options.cases} ({spent[name]:.1f} s)" for name in right)
    )
    return 0


def with_holes(samples: Samples, loss: float, rng: random.Random) -> Samples:
    """``samples`` with ``loss`` of its 20 ms frames silenced."""
    if not loss:
        return samples
    holed = samples.copy()
    for start in range(0, len(holed) - FRAME, FRAME):
        if rng.random() < loss:
            holed[start : start + FRAME] = 0
    return holed


def timed(recogniser: Recogniser, samples: Samples) -> tuple[str, float]:
    started = time.perf_counter()
    text = recogniser.transcribe(samples)
    return text, time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
