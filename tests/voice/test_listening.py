"""Speech, hold music and silence told apart, with boundaries from the audio's own clock."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from peers import baresip, read_wav, require

from conftest import listen
from journeys.channels.voice.audio import SAMPLE_RATE, Samples
from journeys.channels.voice.listening import (
    SHORTEST_MUSIC,
    SHORTEST_MUSIC_IN_SPEECH,
    Listener,
    Music,
    MusicStarted,
    Segment,
    Utterance,
    frames_of,
    segments,
)
from journeys.channels.voice.sip import UserAgent

pytestmark = pytest.mark.calls

NOTES = (523, 659, 784, 659, 523, 587, 698, 880)
"""A hold tune, 0.4 s a note."""
TUNES = ("sine", "fifths", "plucked")
"""How the tune is played: pure sine notes; each note with its fifth, fading (as the demo
company's hold music is); plucked-string chords, rich in harmonics."""


def spoken(text: str, folder: Path, name: str) -> Samples:
    path = folder / f"{name}.wav"
    subprocess.run(["flite", "-voice", "slt", "-t", text, "-o", str(path)], check=True)
    samples, rate = read_wav(path)
    assert rate == SAMPLE_RATE
    return samples


def melody(folder: Path, tune: str = "sine") -> Samples:
    path = folder / f"melody-{tune}.wav"
    played = {
        "sine": lambda note: ["synth", "0.4", "sine", str(note)],
        "fifths": lambda note: [
            "synth",
            "0.4",
            "sine",
            str(note),
            "sine",
            str(round(note * 1.5)),
            "remix",
            "-",
            "fade",
            "q",
            "0.02",
            "0.4",
            "0.3",
        ],
        "plucked": lambda note: [
            "synth",
            "0.4",
            "pluck",
            str(note),
            "pluck",
            str(round(note * 1.26)),
            "pluck",
            str(round(note * 1.5)),
            "remix",
            "-",
        ],
    }[tune]
    notes = [arg for note in NOTES for arg in (*played(note), ":")][:-1]
    subprocess.run(
        ["sox", "-D", "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(path), *notes, "vol", "0.4"],
        check=True,
    )
    return read_wav(path)[0]


def sounding(samples: Samples, offset: float) -> tuple[float, float]:
    """Where a clean recording is loud: the truth the classifier is measured against."""
    loud = np.nonzero(np.abs(samples) > 300)[0]
    return offset + loud[0] / SAMPLE_RATE, offset + (loud[-1] + 1) / SAMPLE_RATE


def a_hold(folder: Path, tune: str = "sine") -> tuple[Samples, list[tuple[type[Segment], float, float]]]:
    """Speech, silence, hold music, silence, speech; with where each really is."""
    first = spoken("Your call is important to us. Please hold.", folder, "first")
    second = spoken("Thank you for holding. An agent will be with you shortly.", folder, "second")
    tune = melody(folder, tune)
    parts = [
        np.zeros(SAMPLE_RATE // 2),
        first,
        np.zeros(SAMPLE_RATE),
        tune,
        np.zeros(SAMPLE_RATE),
        second,
        np.zeros(SAMPLE_RATE // 2),
    ]
    starts = np.cumsum([0, *(len(part) for part in parts)]) / SAMPLE_RATE
    truth = [
        (Utterance, *sounding(first, starts[1])),
        (Music, *sounding(tune, starts[3])),
        (Utterance, *sounding(second, starts[5])),
    ]
    return np.concatenate(parts).astype(np.int16), truth


THROUGH_A_CALL = 0.5
"""Seconds a boundary heard through a real call may be off: the accuracy asked of a heard hold.
On its own the listener keeps within 0.3 s (the G.711 round trip below); a call adds the
RTP path and two processes' real-time audio, which a busy machine delays: an utterance's end
was heard 0.3006 s late with `make demo` running beside the suite."""


def assert_found(
    found: list[Segment],
    truth: list[tuple[type[Segment], float, float]],
    origin: float,
    within: float = 0.3,
) -> None:
    # music is told as it starts (a customer on hold knows at once), then again with its end
    started = [segment.start for segment in found if isinstance(segment, MusicStarted)]
    assert started == [segment.start for segment in found if isinstance(segment, Music)]
    found = [segment for segment in found if not isinstance(segment, MusicStarted)]
    shape = [
        (type(segment).__name__, round(segment.start - origin, 2), round(segment.end - origin, 2))
        for segment in found
    ]
    assert [type(segment) for segment in found] == [kind for kind, _, _ in truth], shape
    for segment, (_kind, start, end) in zip(found, truth, strict=True):
        off = max(abs(segment.start - origin - start), abs(segment.end - origin - end))
        assert off < within, shape


@pytest.mark.parametrize("tune", TUNES)
def test_boundaries_survive_a_g711_round_trip(tune: str, tmp_path: Path) -> None:
    require("flite", "sox")
    samples, truth = a_hold(tmp_path, tune)
    raw = tmp_path / "hold.raw"
    raw.write_bytes(samples.astype("<i2").tobytes())
    back = tmp_path / "back.wav"
    subprocess.run(
        f"sox -D -t raw -r 16000 -e signed -b 16 -c 1 {raw} -r 8000 -e mu-law -t wav - | "
        f"sox -D -t wav - -r 16000 -e signed -b 16 {back}",
        shell=True,
        check=True,
    )
    assert_found(segments(frames_of(read_wav(back)[0], start=100.0)), truth, origin=100.0)


@pytest.mark.parametrize("kind", ["silence", *(f"music-{tune}" for tune in TUNES), "speech"])
def test_a_single_kind_is_only_that(kind: str, tmp_path: Path) -> None:
    require("flite", "sox")
    kind, _, tune = kind.partition("-")
    audio = {
        "silence": lambda: np.zeros(3 * SAMPLE_RATE, dtype=np.int16),
        "music": lambda: melody(tmp_path, tune),
        "speech": lambda: spoken(
            "For returns and repairs, press two. For billing, press three.", tmp_path, "s"
        ),
    }[kind]()
    found = {type(segment).__name__ for segment in segments(frames_of(audio))}
    expected = {"silence": set(), "music": {"MusicStarted", "Music"}, "speech": {"Utterance"}}[kind]
    assert found == expected, found


def test_boundaries_through_a_real_call(agent: UserAgent, tmp_path: Path) -> None:
    require("flite", "sox")
    samples, truth = a_hold(tmp_path)
    raw = tmp_path / "hold.raw"
    raw.write_bytes(samples.astype("<i2").tobytes())
    prompt = tmp_path / "hold-8k.wav"
    subprocess.run(
        [
            "sox",
            "-D",
            "-t",
            "raw",
            "-r",
            "16000",
            "-e",
            "signed",
            "-b",
            "16",
            "-c",
            "1",
            str(raw),
            "-r",
            "8000",
            str(prompt),
        ],
        check=True,
    )
    with baresip(tmp_path / "baresip", prompt) as peer:
        call = agent.place_call(peer.uri)
        answered_at = call.wait_answered(15)
        heard = listen(call, seconds=len(samples) / SAMPLE_RATE + 0.5)
        call.hang_up()
        call.wait_ended(10)
    # baresip starts its prompt when it answers, but a busy machine may start it a little late:
    # the boundaries are judged from where the first one was heard, after a sane delay
    first = next(segment.start for segment in heard if not isinstance(segment, MusicStarted))
    assert 0 <= first - answered_at - truth[0][1] < 2.0
    assert_found(heard, truth, origin=first - truth[0][1], within=THROUGH_A_CALL)


def test_hold_music_is_told_while_it_plays_not_only_when_it_ends(tmp_path: Path) -> None:
    require("flite", "sox")
    samples, truth = a_hold(tmp_path)
    listener = Listener()
    told_at: dict[str, float] = {}
    for frame in frames_of(samples):
        for segment in listener.feed(frame):
            told_at.setdefault(type(segment).__name__, frame.at)
    _, music_start, music_end = truth[1]
    assert music_start + 0.9 <= told_at["MusicStarted"] <= music_start + 1.5
    assert told_at["Music"] >= music_end


@pytest.mark.parametrize(
    "line",
    [
        # flite holds "placing a new order" steady for over half a second: heard as the start
        # of music, it cut the option and dropped its words, and every advocate phone order
        # pressed the wrong key
        "If you are calling about placing a new order, press one.",
        # "me your phone number" is steady for 1.28 s: heard as a hold on a real call, the
        # question was lost and the recaptures counted one short
        "Could you tell me your phone number, please?",
    ],
)
def test_a_held_vowel_is_no_music_and_loses_no_words(line: str, tmp_path: Path) -> None:
    require("flite", "sox")
    said = spoken(line, tmp_path, "line")
    start, end = sounding(said, 0.0)
    found = segments(frames_of(said))
    assert all(isinstance(segment, Utterance) for segment in found), found
    heard = sum(segment.end - segment.start for segment in found)
    assert heard >= 0.85 * (end - start), [(round(s.start, 2), round(s.end, 2)) for s in found]


@pytest.mark.parametrize("pause", [0.4, 0.0])
def test_music_after_a_prompt_is_told_at_once_after_a_pause_and_always_from_its_start(
    pause: float, tmp_path: Path
) -> None:
    # the demo's line starts its music 0.4 s after the prompt's clip (which ends in a fifth of a
    # second of quiet of its own): that is a pause, and the music is told after a second, as
    # any. With no pause it might be the prompt's own held vowel, so it is told only once it
    # lasts 2 s; either way the hold is measured from where the music began
    require("flite", "sox")
    prompt = spoken("Bear with me, I'm putting you on hold for a moment.", tmp_path, "prompt")
    gap = np.zeros(int(pause * SAMPLE_RATE), dtype=np.int16)
    tune = melody(tmp_path)
    music_start, _ = sounding(tune, (len(prompt) + len(gap)) / SAMPLE_RATE)
    listener = Listener()
    told = None
    for frame in frames_of(np.concatenate([prompt, gap, tune])):
        told = next((segment for segment in listener.feed(frame) if isinstance(segment, MusicStarted)), None)
        if told is not None:
            told_at = frame.at
            break
    assert told is not None
    assert abs(told.start - music_start) < 0.1
    waited = SHORTEST_MUSIC if pause else SHORTEST_MUSIC_IN_SPEECH
    assert waited <= told_at - music_start < waited + 0.2, (music_start, told_at)


def test_quiet_is_measured_on_the_audio_judged_not_the_wall_clock(tmp_path: Path) -> None:
    # a listener behind its call (it waited on the recogniser) once took the backlog for
    # silence, and the customer hung up while the agent read the order number out
    require("flite", "sox")
    said = spoken("Please note your order number.", tmp_path, "line")
    _, end = sounding(said, 1000.0)
    listener = Listener()
    assert listener.quiet_for() == 0.0
    for frame in frames_of(np.concatenate([said, np.zeros(3 * SAMPLE_RATE, dtype=np.int16)]), start=1000.0):
        listener.feed(frame)
        if frame.at < end - 0.1:
            assert listener.quiet_for() < 0.5
    total = 1000.0 + len(said) / SAMPLE_RATE + 3.0
    assert abs(listener.quiet_for() - (total - end)) < 0.1


def test_a_key_press_cuts_the_utterance_it_falls_in(tmp_path: Path) -> None:
    # a menu stops at a key and the next one begins at once: heard as one utterance, the old
    # menu's "press 2 for" ran into the new menu's first option, and was read as an option
    # under 2 (a phone order taken to order tracking in the demo)
    require("flite", "sox")
    old = spoken("For returns and repairs press 2 for", tmp_path, "old")
    new = spoken("Please choose from the following options", tmp_path, "new")
    old_start, old_end = sounding(old, 0.0)
    new_start, new_end = sounding(new, 0.0)
    first = old[int(old_start * SAMPLE_RATE) : int(old_end * SAMPLE_RATE)]
    second = new[int(new_start * SAMPLE_RATE) : int(new_end * SAMPLE_RATE)]
    run_together = np.concatenate([np.zeros(SAMPLE_RATE // 2, dtype=np.int16), first, second])
    key_at = 0.5 + len(first) / SAMPLE_RATE

    uncut = [segment for segment in segments(frames_of(run_together)) if isinstance(segment, Utterance)]
    listener = Listener()
    listener.cut(key_at)
    cut = [
        segment for segment in segments(frames_of(run_together), listener) if isinstance(segment, Utterance)
    ]

    assert len(uncut) == 1
    assert len(cut) == 2, [(round(s.start, 2), round(s.end, 2)) for s in cut]
    assert cut[0].end <= key_at + 0.02
    assert abs(cut[1].start - key_at) < 0.1
