"""How well the harness hears the demo company over a telephone line, and what it costs.

Every sentence the company says (``sandbox/contact_centre/phrasing.py``, each variant,
filled with sample agents, departments, fields, references, dates) is spoken by flite
(slt), passed through G.711 μ-law at 8 kHz and back to 16 kHz with sox, and recognised
with each recogniser configuration. Reported per configuration: the word error rate, how
often a reference comes out exactly right after ``written_form``, how often the words that
matter (menu key, department, agent, field) are heard, and the real-time factor (CPU
seconds per second of audio). The caller's side (``spoken_form`` answers) is measured too,
as a rough guide for the demo company's own recogniser.

Run: ``.venv/bin/python bench/speech_wer.py [--limit N] [--out FILE]``. Bench code may
import the sandbox; the harness never does.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journeys.channels.voice.speech import (
    PocketsphinxRecogniser,
    Recogniser,
    Samples,
    Voice,
    through_telephone,
)
from journeys.channels.voice.spoken import spoken_form, spoken_words, written_form
from sandbox.contact_centre.phrasing import (
    COMPANY,
    DEPARTMENT_NAMES,
    FIELD_WORDS,
    FOLLOW_UP_TOPICS,
    PHRASES,
    business_days,
)

AGENTS = ("Priya", "Tom", "Lena", "Dana", "Marcus", "Sofia", "Aisha", "Ben", "Chloe", "Ravi", "Grace", "Owen")
LABELS = (
    "placing, tracking or cancelling an order",
    "returns, repairs and warranty claims",
    "placing a new order",
    "the status of an order",
    "cancelling an order",
    "returning an item",
    "booking a repair",
    "a warranty claim",
)
STATUSES = ("processing", "shipped", "delivered", "cancelled")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "March", "May", "July", "September", "November")


@dataclass(frozen=True)
class Sample:
    """One sentence as written, as said (spoken form), and the reference it carries."""

    written: str
    said: str
    reference: str | None
    key_words: tuple[str, ...]


def _reference(rng: random.Random) -> str:
    prefix, digits = rng.choice((("BL", 6), ("RMA", 5), ("WC", 5), ("RP", 5)))
    return f"{prefix}-{''.join(rng.choice('0123456789') for _ in range(digits))}"


def company_samples(rng: random.Random) -> list[Sample]:
    """Every variant of every sentence, filled with values drawn by ``rng``."""
    samples = []
    for variants in PHRASES.values():
        for template in variants:
            agent = rng.choice(AGENTS)
            department = rng.choice(list(DEPARTMENT_NAMES.values()))
            values = {
                "agent": agent,
                "who": agent,
                "department": department,
                "field": rng.choice(list(FIELD_WORDS.values())),
                "position": str(rng.randint(2, 9)),
                "reference": _reference(rng),
                "status": rng.choice(STATUSES),
                "duration": business_days(rng.randint(2, 14)),
                "date": f"{rng.choice(DAYS)} {rng.randint(1, 28)} {rng.choice(MONTHS)}",
                "phone": "0800 555 0199",
                "label": rng.choice(LABELS),
                "key": str(rng.randint(1, 9)),
                "topic": rng.choice(list(FOLLOW_UP_TOPICS.values())),
            }
            written = template.format(**values)
            said = template.format(**{**values, "reference": spoken_form("reference", values["reference"])})
            used = re.findall(r"\{(\w+)\}", template)
            key_words = tuple(
                values[name] for name in used if name in ("agent", "department", "field", "key", "position")
            )
            reference = values["reference"] if "reference" in used else None
            samples.append(Sample(written, said, reference, key_words))
    return samples


def word_errors(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance between two word lists (substitutions, insertions, deletions)."""
    previous = list(range(len(hypothesis) + 1))
    for index, word in enumerate(reference, 1):
        current = [index]
        for column, heard in enumerate(hypothesis, 1):
            current.append(min(previous[column] + 1, current[-1] + 1, previous[column - 1] + (word != heard)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Figures:
    """One configuration's results."""

    configuration: str
    sentences: int
    audio_seconds: float
    wer: float
    references_exact: str
    key_words_heard: str
    real_time_factor: float
    load_seconds: float


def measure(
    name: str,
    make: Callable[[], Recogniser],
    audio: Sequence[Samples],
    samples: Sequence[Sample],
    names: Sequence[str],
) -> Figures:
    """Recognise every sample with one configuration and score it."""
    started = time.process_time()
    recogniser = make()
    load_seconds = time.process_time() - started
    errors = words = exact = references = heard_keys = keys = 0
    cpu = 0.0
    for sample, samples_audio in zip(samples, audio, strict=True):
        started = time.process_time()
        text = recogniser.transcribe(samples_audio)
        cpu += time.process_time() - started
        expected = spoken_words(sample.said)
        errors += word_errors(expected, text.split())
        words += len(expected)
        written = written_form(text, names)
        if sample.reference is not None:
            references += 1
            exact += sample.reference in written
        for key_word in sample.key_words:
            keys += 1
            heard_keys += key_word.casefold() in written.casefold()
    seconds = sum(len(item) for item in audio) / 16000
    return Figures(
        name,
        len(samples),
        round(seconds, 1),
        round(errors / max(words, 1), 3),
        f"{exact}/{references}",
        f"{heard_keys}/{keys}",
        round(cpu / seconds, 3),
        round(load_seconds, 2),
    )


def profile_vocabulary() -> list[str]:
    """What a user would list in the profile: company, departments, agents, field words."""
    return [COMPANY, *DEPARTMENT_NAMES.values(), *AGENTS, *FIELD_WORDS.values(), "press", "dash", "hold"]


def main() -> None:
    """Measure each configuration and print (and optionally write) the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    arguments = parser.parse_args()

    voice = Voice("slt")
    test = company_samples(random.Random(1))
    training = [sample.said for seed in (2, 3, 4) for sample in company_samples(random.Random(seed))]
    if arguments.limit:
        test = test[: arguments.limit]
    names = [COMPANY, *DEPARTMENT_NAMES.values(), *AGENTS]
    audio = [through_telephone(voice.say(sample.said)) for sample in test]
    clean = [voice.say(sample.said) for sample in test]

    results = [
        measure("bundled model, 16 kHz clean (no telephone)", PocketsphinxRecogniser, clean, test, names),
        measure("bundled model, telephone", PocketsphinxRecogniser, audio, test, names),
        measure(
            "+ profile words in dictionary",
            lambda: PocketsphinxRecogniser(vocabulary=profile_vocabulary()),
            audio,
            test,
            names,
        ),
        measure(
            "+ profile words, boosted x1000",
            lambda: PocketsphinxRecogniser(vocabulary=profile_vocabulary(), boost=1000.0),
            audio,
            test,
            names,
        ),
        measure(
            "company sentence LM (other sample values)",
            lambda: PocketsphinxRecogniser(vocabulary=profile_vocabulary(), sentences=training),
            audio,
            test,
            names,
        ),
    ]

    # The caller's side: answers as spoken_form says them, heard by the plain model.
    rng = random.Random(5)
    answers = [("order_number", _reference(rng).replace("RMA", "BL")) for _ in range(6)] + [
        ("email", "morgan.hale@example.test"),
        ("email", "priya.castellanos@example.test"),
        ("postcode", "62704"),
        ("postcode", "SW1A 1AA"),
        ("name", "Ada Okonkwo"),
        ("name", "Morgan Hale"),
        ("purchase_date", "5 March 2024"),
        ("product", "Dishwasher"),
    ]
    caller = [
        Sample(value, spoken_form(field, value), value if field == "order_number" else None, ())
        for field, value in answers
    ]
    caller_audio = [through_telephone(voice.say(sample.said)) for sample in caller]
    results.append(
        measure(
            "caller answers (spoken_form), telephone", PocketsphinxRecogniser, caller_audio, caller, names
        )
    )
    other_rng = random.Random(6)
    other_answers = [spoken_form("order_number", _reference(other_rng)) for _ in range(40)] + [
        spoken_form(field, value) for field, value in answers if field != "order_number"
    ]
    results.append(
        measure(
            "caller answers, LM of spoken answers",
            lambda: PocketsphinxRecogniser(sentences=other_answers),
            caller_audio,
            caller,
            names,
        )
    )

    figures = [asdict(result) for result in results]
    print(json.dumps(figures, indent=1))
    if arguments.out:
        arguments.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
