"""What a caller may say for each thing the company awaits, and how it is written down.

The recogniser listens with a grammar when the answer has a shape, and with the model's
general English language model otherwise; the words it hears are then written as a
customer would type them, so that :mod:`sandbox.contact_centre.understanding` reads a
spoken answer exactly as a typed one. Spoken forms understood:

- ``order_number``: six digits, optionally after two letters and "dash"
  ("B L dash 1 2 3 4 5 6", "one two three four five six"); digits as words, "oh" for zero.
  The company's order numbers all start BL, so the letters are not needed (B and P sound
  alike on a phone): six digits heard become ``BL-123456``.
- ``phone``: 10 or 11 digits one by one ("five five five, oh one three two, nine four oh
  five" becomes ``55501329405``); the number a caller is found by
  (:data:`sandbox.contact_centre.script.ASKED_ON_A_CALL`). A grammar of any number of digits
  heard flite's 11-digit numbers with digits added in 12 of 12 on a wideband call (no caller
  was ever found by phone); of 10 or 11, right in 12 of 12, grouped with pauses or not.
- ``postcode``: a ZIP code, five digits one by one, with four more after "dash" if the
  caller gives them. This is the company's US line: it listens for the shape of the
  postcodes its callers have. With any letter or digit allowed anywhere, 3 ZIP codes in 10
  said by flite on a wideband call were heard right (a "four" heard as "R"); with the
  ZIP's shape, 8 in 10 (``python -m sandbox.phone.measure``). A caller with a UK or
  Canadian postcode is not understood.
- ``serial_number``: letters and digits one by one, "dash" for a dash (a postcode written
  from such words, "S W 1 A 1 A A", is ``SW1A 1AA``).
- ``email``: spelt with the phonetic alphabet up to "at", digits and "dot", "dash",
  "underscore", "plus" by name, then the domain in words or spelt ("delta alpha dot five
  at example dot com" becomes ``da.5@example.com``). Agents who must type an address ask
  for it so, as contact centres do. Said as words, a name in an address is whatever the
  language model makes of it: 0 addresses in 10 heard right on a wideband call. Spelt,
  9 in 10 of the form ``dana.smith.17@example.com`` (``python -m sandbox.phone.measure``);
  the harness's personas add eight letters and digits to theirs, and about half of those
  are heard right at the first try, so the agent asks again. Agents on a call still ask
  for the phone number instead where the address would only say who the caller is.
- ``survey``: yes, no, or a number from one to five.
- ``product``, ``shipping_method``: one of the catalogue's names, in a grammar of them made
  when the line learns the catalogue (:func:`catalogue_grammar`). With the general language
  model, flite's "Toaster Duo" was heard as "duster do" on a wideband call and "the charity"
  through G.711, and no phone order was ever taken.
- anything else (``problem``, ``name``, ``address`` ...): free words, written as heard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_SEARCH = "_default"
"""pocketsphinx's name for its general language model search."""

DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
LETTERS = "abcdefghijklmnopqrstuvwxyz"
_SURVEY_WORDS = ("yes", "no", "yes please", "no thanks", *list(DIGIT_WORDS)[2:7])

_DIGITS = "<digit> "
PHONETIC = dict(
    zip(
        [
            "alpha",
            "bravo",
            "charlie",
            "delta",
            "echo",
            "foxtrot",
            "golf",
            "hotel",
            "india",
            "juliet",
            "kilo",
            "lima",
            "mike",
            "november",
            "oscar",
            "papa",
            "quebec",
            "romeo",
            "sierra",
            "tango",
            "uniform",
            "victor",
            "whiskey",
            "x-ray",
            "yankee",
            "zulu",
        ],
        LETTERS,
        strict=True,
    )
)
"""The phonetic alphabet, word to letter."""
SYMBOL_WORDS = {"dot": ".", "dash": "-", "hyphen": "-", "underscore": "_", "plus": "+"}
DOMAIN_WORDS = (
    "example",
    "gmail",
    "outlook",
    "hotmail",
    "yahoo",
    "icloud",
    "aol",
    "proton",
    "mail",
)
"""Mail domains a caller says as words; any other domain is spelt."""
TOP_LEVEL_DOMAINS = ("com", "net", "org", "co", "uk", "io", "us", "de", "ca")

_RULES = f"<digit> = {' | '.join(DIGIT_WORDS)};\n<letter> = {' | '.join(LETTERS)};\n"
_EMAIL_RULES = (
    f"<spelt> = {' | '.join(PHONETIC)} | {' | '.join(DIGIT_WORDS)} | {' | '.join(SYMBOL_WORDS)};\n"
    f"<domain> = {' | '.join(DOMAIN_WORDS)} | <spelt>+;\n"
    f"<tld> = {' | '.join(TOP_LEVEL_DOMAINS)};\n"
)


@dataclass(frozen=True)
class Listening:
    """How to listen for one kind of answer: a search's name, and its grammar if any."""

    search: str
    grammar: str | None = None


_AGAIN = "<again> = (sorry | pardon) [could you] [(say that again) | (repeat that)] [please];\n"
"""A caller asking to hear the question again, which every grammar takes too: forced into
digits, "Sorry, could you say that again?" was a phone number no order matched."""
REPEAT_REQUEST = ("sorry", "pardon")
"""How a request to hear the question again starts: it is written as nothing (not understood)."""


def _grammar(name: str, rule: str, rules: str = _RULES) -> str:
    return f"#JSGF V1.0;\ngrammar {name};\n{rules}{_AGAIN}public <{name}> = ({rule}) | <again>;\n"


GRAMMARS: dict[str, Listening] = {
    "order_number": Listening(
        "order_number",
        _grammar(
            "order_number", "[<letter> <letter>] [dash] <digit> <digit> <digit> <digit> <digit> <digit>"
        ),
    ),
    "code": Listening("code", _grammar("code", "(<letter> | <digit> | dash)+")),
    "zip_code": Listening("zip_code", _grammar("zip_code", f"{_DIGITS * 5}[dash {_DIGITS * 4}]")),
    "digits": Listening("digits", _grammar("digits", f"{_DIGITS * 10}[<digit>]")),
    "survey": Listening("survey", _grammar("survey", " | ".join(f"({words})" for words in _SURVEY_WORDS))),
    "email": Listening(
        "email",
        _grammar("email", "<spelt>+ at <domain> (dot <domain>)* dot <tld>", _EMAIL_RULES),
    ),
}
_SEARCH_FOR: dict[str, str] = {
    "order_number": "order_number",
    "postcode": "zip_code",
    "phone": "digits",
    "serial_number": "code",
    "survey": "survey",
    "email": "email",
}


CATALOGUE_FIELDS = ("product", "shipping_method")
"""What a caller answers with one of the company's own names: listened for in a grammar of
them (as a voice platform's custom slot type does), built when the line learns the catalogue."""

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def said_as(name: str) -> list[str]:
    """A catalogue name as a voice says it, a word each ("Blender 3000": blender three thousand,
    "Robot Vacuum R2": robot vacuum r two, "Next-day": next day)."""
    words: list[str] = []
    for token in re.findall(r"[A-Za-z']+|\d+", name):
        if token.isdigit():
            words += _number_words(int(token))
        elif token.isupper() and len(token) > 1:
            words += list(token.lower())  # "XL": x l
        else:
            words.append(token.lower())
    return words


def _number_words(number: int) -> list[str]:
    if number < 10:
        return [_NUMBER_WORDS[number]]
    thousands, rest = divmod(number, 1000)
    if thousands and not rest and thousands < 10:
        return [_NUMBER_WORDS[thousands], "thousand"]
    return [_NUMBER_WORDS[int(digit)] for digit in str(number)]


def catalogue_grammar(about: str, names: Sequence[str]) -> Listening:
    """A grammar of ``names`` for ``about``: each name's words in order, the ones a voice
    makes of its digits and capitals optional (a caller may leave them out), with "the",
    "a" before and "please" after."""
    choices = []
    for name in names:
        plain = [word for word in re.findall(r"[A-Za-z']+", name) if not (word.isupper() and len(word) > 1)]
        said = said_as(name)
        core = " ".join(word.lower() for word in plain)
        extra = [word for word in said if word not in core.split()]
        choices.append(f"({core}{' [' + ' '.join(extra) + ']' if extra else ''})")
    rule = f"[the | a | an] ({' | '.join(choices)}) [please]"
    return Listening(about, _grammar(about, rule, ""))


def listening_for(about: str | None, known: Mapping[str, Listening] | None = None) -> Listening:
    """How to listen while the company awaits ``about`` (None: the language model); ``known``
    adds the searches built from the catalogue (:func:`catalogue_grammar`)."""
    if known and about is not None and about in known:
        return known[about]
    search = _SEARCH_FOR.get(about or "")
    return GRAMMARS[search] if search is not None else Listening(DEFAULT_SEARCH)


def written(about: str | None, heard: str) -> str:
    """What was heard, written as a customer would type it for ``about``."""
    words = heard.lower().split()
    if words and words[0] in REPEAT_REQUEST:
        return ""
    if about == "order_number":
        digits = "".join(DIGIT_WORDS[word] for word in words if word in DIGIT_WORDS)
        return f"BL-{digits}" if len(digits) == 6 else " ".join(words)
    if about == "phone":
        return "".join(DIGIT_WORDS[word] for word in words if word in DIGIT_WORDS)
    if about in ("postcode", "serial_number"):
        return _code(about, words)
    if about == "email":
        return _email(words)
    if about == "survey":
        return " ".join(DIGIT_WORDS.get(word, word) for word in words)
    return " ".join(words)


def _code(about: str, words: list[str]) -> str:
    chars = "".join(DIGIT_WORDS.get(word, "-" if word == "dash" else word.upper()) for word in words)
    if about == "postcode" and not chars.replace("-", "").isdigit() and len(chars) > 4:
        return f"{chars[:-3]} {chars[-3:]}"
    return chars


def _email(words: list[str]) -> str:
    """Words with "at" and "dot" joined into an address; spelt letters run together."""
    pieces = []
    for word in words:
        if word == "at":
            pieces.append("@")
        elif word in ("dot", "dots", "period"):
            pieces.append(".")
        elif word in ("dash", "hyphen"):
            pieces.append("-")
        elif word == "underscore":
            pieces.append("_")
        elif word == "plus":
            pieces.append("+")
        else:
            pieces.append(DIGIT_WORDS.get(word) or PHONETIC.get(word) or word)
    return "".join(pieces)
