"""Silence on a call: the caller asks to hear again what they did not make out, but a silence
after their own answer is the company's to break. Asked "could you say that again?" there,
a line that had lost the answer took the request for one, and both sides waited."""

from __future__ import annotations

from scripted_page import ORDER, ScriptedPage, cancel_on_call

from journeys.channels.conversational import SAY_AGAIN, SAY_AGAIN_SECONDS, Line, Opening
from journeys.domain.timeline import Contact, EventKind


class Call(ScriptedPage):
    """A call heard as the phone hears it: quiet since the company's last line."""

    channel = "phone"
    opening: Opening = "never"
    hears_holds = True
    step = 0.5

    def __init__(self, lines: list[Line]) -> None:
        super().__init__(lines)
        self.heard_at = self.now
        self.said_at: list[tuple[float, str]] = []

    def new_lines(self) -> list[Line]:
        due = super().new_lines()
        if due:
            self.heard_at = max(line.at for line in due)
        return due

    def quiet_for(self) -> float | None:
        return self.now - self.heard_at

    def say(self, text: str, *, field: str | None = None) -> bool:
        self.said_at.append((self.now, text))
        return super().say(text)


def call(lines: list[Line]) -> tuple[Call, Contact]:
    page = Call(lines)
    return page, cancel_on_call(page, read_as="phone", settle_seconds=3)


ENDING = [
    Line(140.0, "company", f"i've cancelled your order {ORDER}"),
    Line(141.0, "company", "thank you for calling goodbye"),
]


def test_silence_after_the_callers_answer_waits_for_the_company() -> None:
    page, contact = call(
        [
            Line(101.0, "company", "good day dana from orders here"),
            Line(102.0, "company", "can i have your order number please"),
            # the line lost the answer: quiet for 20 s, then the agent asks whether anyone is there
            Line(125.0, "company", "are you still there"),
            Line(127.0, "company", "could you give me your order number again"),
            *ENDING,
        ]
    )

    assert SAY_AGAIN not in page.said
    assert page.said == [ORDER, ORDER]  # the answer, and the answer again when asked again
    assert len(contact.timeline.of_kind(EventKind.INFO_REQUESTED)) == 2


def test_silence_after_words_the_caller_did_not_make_out_is_met_with_a_request() -> None:
    page, _ = call(
        [
            Line(101.0, "company", "good day dana from orders here"),
            Line(102.0, "company", "can i hum your order numb plea"),  # the question, garbled
            *ENDING,
        ]
    )

    asked_again = [at for at, text in page.said_at if text == SAY_AGAIN]
    assert asked_again and asked_again[0] >= 102.0 + SAY_AGAIN_SECONDS
