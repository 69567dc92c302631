"""Between the written and the spoken word: what the customer says aloud, and what the
company's speech becomes as text.

:func:`spoken_form` is how a careful caller reads a value down the phone so that a person,
or a recogniser, gets it right: codes letter by letter and digit by digit, addresses with
"at" and "dot", dates as words. The text is written for flite, which reads a lone capital
letter as its name ("B" is "bee") and a digit as its word.

:func:`written_form` goes the other way: a recogniser hears words only ("b l dash one two
three"), while the profile's patterns were written for the chat's text ("BL-123"). It
turns number words into digits, spelled codes into codes, spoken addresses into
addresses, and restores the capitals of names the patterns look for. It is conservative:
a lone "one" stays a word where English uses it as a pronoun ("one moment", "no one",
"the one"), letters are joined only when digits follow them (so "you are" never becomes
"UR"), and "at"/"dot" only become an address when a "dot" follows the "at".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence

DIGIT_WORDS: tuple[str, ...] = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
)
_TEENS: dict[str, int] = {
    word: 10 + index
    for index, word in enumerate(
        [
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS: dict[str, int] = {
    word: 20 + 10 * index
    for index, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_UNITS: dict[str, int] = {word: value for value, word in enumerate(DIGIT_WORDS)}
_ORDINALS: tuple[str, ...] = (
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
)

# How recognisers write a spelled letter; single characters always count as letters.
_LETTER_NAMES: dict[str, str] = {
    "bee": "b", "see": "c", "sea": "c", "dee": "d", "ee": "e", "eff": "f", "gee": "g",
    "aitch": "h", "jay": "j", "kay": "k", "ell": "l", "em": "m", "en": "n", "pee": "p",
    "pea": "p", "cue": "q", "queue": "q", "ar": "r", "are": "r", "es": "s", "tee": "t",
    "tea": "t", "vee": "v", "ex": "x", "why": "y", "zed": "z", "zee": "z",
}  # fmt: skip
_DASH_WORDS = frozenset({"dash", "hyphen", "minus"})

# A lone "one" is a pronoun after these words, or before these.
_ONE_AS_WORD_AFTER = frozenset({"no", "any", "some", "every", "the", "this", "that", "which"})
_ONE_AS_WORD_BEFORE = frozenset(
    {"moment", "more", "of", "another", "way", "thing", "minute", "sec", "day", "time"}
)

ALWAYS_CAPITALISED: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "I",
    "I'm",
    "I'll",
    "I've",
    "I'd",
)
"""Words English always writes with a capital; patterns for dates and agents expect them."""

CODE_FIELDS = frozenset({"order_number", "reference", "postcode", "serial_number", "phone"})
"""Fields read character by character: one wrong character and the value is useless."""


def spoken_form(
    field_name: str | None,
    value: str,
    *,
    is_word: Callable[[str], bool] | None = None,
    phonetic_email: bool = False,
) -> str:
    """How a customer says ``value`` when asked for ``field_name``, written for flite.

    Args:
        field_name: the field asked for (``order_number``, ``email``, ...); None for free text.
        value: the written value, as the journey knows it.
        is_word: whether a part of an e-mail address is a word a listener knows (then it is
            said whole, else spelled); by default, letters only and at most 8 of them.
        phonetic_email: spell everything before an address's "@" with the phonetic alphabet
            ("alpha bravo dot one two"), as an agent who must type it asks to hear it.
    """
    if field_name == "email" and "@" in value:
        if phonetic_email:
            local, _, domain = value.partition("@")
            said_domain = _spoken_address_part(domain, is_word or _looks_like_a_word)
            return f"{spell_phonetically(local)} at {said_domain}"
        return _spoken_address(value, is_word or _looks_like_a_word)
    if field_name == "purchase_date":
        day = _parse_date(value)
        if day is not None:
            return spoken_date(day)
    if field_name == "phone":  # in one breath: a recogniser hears digits in a pause between groups
        return spell(re.sub(r"[^0-9+]", "", value))
    if field_name in CODE_FIELDS or _is_code(value):
        return spell(value)
    return value


def spell(value: str) -> str:
    """Character by character: letters as capitals, digits as digits, a dash as "dash";
    a space or other separator becomes a comma, the pause a person makes there."""
    groups = [group for group in re.split(r"[^A-Za-z0-9-]+", value) if group]
    spoken_groups = []
    for group in groups:
        spoken_groups.append(" ".join("dash" if char == "-" else char.upper() for char in group))
    return ", ".join(spoken_groups)


def spoken_date(day: dt.date) -> str:
    """A date as a person says it: "the 5th of March 2024" is "March fifth, twenty twenty four"."""
    return f"{day:%B} {ordinal_words(day.day)}, {year_words(day.year)}"


def ordinal_words(number: int) -> str:
    """1 to 31 as an ordinal in words ("twenty first")."""
    if number < len(_ORDINALS):
        return _ORDINALS[number]
    tens, unit = divmod(number, 10)
    tens_word = next(word for word, value in _TENS.items() if value == tens * 10)
    if unit == 0:
        return tens_word[:-1] + "ieth"
    return f"{tens_word} {_ORDINALS[unit]}"


def number_words(number: int) -> str:
    """0 to 99 in words ("twenty four")."""
    if number < 10:
        return DIGIT_WORDS[number]
    if number < 20:
        return next(word for word, value in _TEENS.items() if value == number)
    tens, unit = divmod(number, 10)
    tens_word = next(word for word, value in _TENS.items() if value == tens * 10)
    return tens_word if unit == 0 else f"{tens_word} {DIGIT_WORDS[unit]}"


def year_words(year: int) -> str:
    """A year as people say it: 2024 is "twenty twenty four", 2005 "two thousand five"."""
    century, rest = divmod(year, 100)
    if 2000 <= year < 2010:
        return "two thousand" + (f" {DIGIT_WORDS[rest]}" if rest else "")
    if rest == 0:
        return f"{number_words(century)} hundred"
    tail = f"oh {DIGIT_WORDS[rest]}" if rest < 10 else number_words(rest)
    return f"{number_words(century)} {tail}"


def _parse_date(value: str) -> dt.date | None:
    for layout in ("%d %B %Y", "%Y-%m-%d", "%d/%m/%Y", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(value.strip(), layout).date()
        except ValueError:
            continue
    return None


def _is_code(value: str) -> bool:
    """A reference or code: letters and digits mixed, or a dash between them ("RMA-12345")."""
    compact = value.strip()
    if re.fullmatch(r"\d+(?:st|nd|rd|th)", compact, re.IGNORECASE):  # an ordinal, said as a word
        return False
    return (
        bool(re.fullmatch(r"[A-Za-z0-9-]+", compact))
        and bool(re.search(r"\d", compact))
        and (bool(re.search(r"[A-Za-z]", compact)) or "-" in compact)
    )


def _looks_like_a_word(part: str) -> bool:
    return part.isalpha() and len(part) <= 8


_SYMBOL_WORDS = {".": "dot", "_": "underscore", "-": "dash", "+": "plus"}

PHONETIC_ALPHABET: dict[str, str] = {
    letter: word
    for letter, word in zip(
        "abcdefghijklmnopqrstuvwxyz",
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
        strict=True,
    )
}
"""The letters as the phonetic alphabet says them (spelled as the recogniser's dictionary has them)."""


def spell_phonetically(text: str) -> str:
    """Every character: letters in the phonetic alphabet, digits as digits, symbols by name."""
    return " ".join(
        PHONETIC_ALPHABET.get(char, _SYMBOL_WORDS.get(char, char))
        for char in text.lower()
        if not char.isspace()
    )


def _spoken_address(address: str, is_word: Callable[[str], bool]) -> str:
    local, _, domain = address.partition("@")
    return f"{_spoken_address_part(local, is_word)} at {_spoken_address_part(domain, is_word)}"


def _spoken_address_part(text: str, is_word: Callable[[str], bool]) -> str:
    """Words said whole, the rest spelled, dots and dashes by name."""
    pieces = [piece for piece in re.split(r"([._+-])", text) if piece]
    return " ".join(
        _SYMBOL_WORDS.get(piece) or (piece.lower() if is_word(piece) else spell(piece)) for piece in pieces
    )


def written_form(transcript: str, names: Iterable[str] = ()) -> str:
    """What a recogniser heard, written as the company would have written it.

    Args:
        transcript: lower-case words, no digits, no punctuation (a recogniser's output).
        names: written forms to restore ("Brightline Appliances", "Returns", "Dana"); the
            weekdays, the months and "I" are always restored.

    Returns:
        The text with numbers as digits ("press 2", "number 3", "within 5 business days"),
        spelled codes joined ("BL-123456"), spoken addresses written (``a.b@c.d``), the
        names' capitals back and the first letter capitalised.
    """
    words = transcript.casefold().split()
    words = _join_addresses(words)
    words = _join_codes(words)
    words = _join_numbers(words)
    text = " ".join(words)
    text = _restore_names(text, [*ALWAYS_CAPITALISED, *names])
    if not re.match(r"[a-z]+(?:\s|$)", text):
        return text
    return text[:1].upper() + text[1:]


def _letter(word: str) -> str | None:
    if len(word) == 1 and word.isalpha():
        return word
    if len(word) == 2 and word.endswith(".") and word[0].isalpha():
        return word[0]
    return _LETTER_NAMES.get(word)


def _digit_run(words: Sequence[str], start: int, *, leading_oh: bool = False) -> tuple[str, int]:
    """Digits spoken one by one from ``start`` ("one two three"), and where they end;
    "oh" is a zero between digits, or first when ``leading_oh`` ("oh eight hundred")."""
    digits = ""
    index = start
    while index < len(words):
        word = words[index]
        if word in _UNITS:
            digits += str(_UNITS[word])
        elif word == "oh" and (digits or leading_oh):
            digits += "0"
        elif word == "double" and index + 1 < len(words) and words[index + 1] in _UNITS:
            digits += str(_UNITS[words[index + 1]]) * 2
            index += 1
        else:
            break
        index += 1
    return digits, index


def _join_codes(words: list[str]) -> list[str]:
    """Spelled letters, an optional dash, then spelled digits: one code ("BL-123456")."""
    joined: list[str] = []
    index = 0
    while index < len(words):
        letters = ""
        cursor = index
        while cursor < len(words) and (letter := _letter(words[cursor])) is not None:
            letters += letter
            cursor += 1
        dashed = cursor < len(words) and words[cursor] in _DASH_WORDS
        digits, end = _digit_run(words, cursor + 1 if dashed else cursor)
        if letters and len(digits) >= 2 and (dashed or len(letters) >= 2):
            joined.append(f"{letters.upper()}{'-' if dashed else ''}{digits}")
            index = end
        else:
            joined.append(words[index])
            index += 1
    return joined


def _join_numbers(words: list[str]) -> list[str]:
    """Number words as digits: a run of digits is one number, "twenty five" is 25."""
    result: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        starts_digits = word == "oh" and index + 1 < len(words) and words[index + 1] in _UNITS
        if word in _UNITS and index + 1 < len(words) and words[index + 1] == "hundred":
            value, index = _hundreds(words, index)
            leading_zeros = bool(result) and re.fullmatch(r"0+", result[-1]) is not None
            result.append(result.pop() + str(value) if leading_zeros else str(value))
        elif word in _UNITS or starts_digits:
            digits, end = _digit_run(words, index, leading_oh=starts_digits)
            if len(digits) == 1 and word == "one" and _one_is_a_word(words, index):
                result.append(word)
            elif end < len(words) and words[end] == "hundred" and digits[:-1]:
                result.append(digits[:-1])
                index = end - 1
                continue
            else:
                result.append(digits)
            index = end
        elif word in _TEENS:
            result.append(str(_TEENS[word]))
            index += 1
        elif word in _TENS:
            value = _TENS[word]
            if index + 1 < len(words) and words[index + 1] in _UNITS and words[index + 1] != "zero":
                value += _UNITS[words[index + 1]]
                index += 1
            result.append(str(value))
            index += 1
        else:
            result.append(word)
            index += 1
    return result


def _hundreds(words: Sequence[str], index: int) -> tuple[int, int]:
    """ "eight hundred", "three hundred and twenty five": the value, and where it ends.

    A run of digits after "hundred" is a new number ("eight hundred, five five five").
    """
    value = _UNITS[words[index]] * 100
    index += 2
    following = list(words[index : index + 3])
    if following[:1] == ["and"]:
        following = following[1:]
        skip = 1
    else:
        skip = 0
    if following and following[0] in _TENS:
        value += _TENS[following[0]]
        tail = following[1:2]
        if tail and tail[0] in _UNITS and tail[0] != "zero":
            return value + _UNITS[tail[0]], index + skip + 2
        return value, index + skip + 1
    if following and following[0] in _TEENS:
        return value + _TEENS[following[0]], index + skip + 1
    if following and following[0] in _UNITS and (len(following) < 2 or following[1] not in _UNITS):
        return value + _UNITS[following[0]], index + skip + 1
    return value, index


def _one_is_a_word(words: Sequence[str], index: int) -> bool:
    before = words[index - 1] if index > 0 else ""
    after = words[index + 1] if index + 1 < len(words) else ""
    return before in _ONE_AS_WORD_AFTER or after in _ONE_AS_WORD_BEFORE


def _join_addresses(words: list[str]) -> list[str]:
    """ "name dot surname at example dot test" as ``name.surname@example.test``.

    Only when a "dot" follows the "at": "call us at nine" stays as it is.
    """
    text = " ".join(words)
    part = r"(?:[a-z0-9](?: [a-z0-9])+|[a-z0-9]+)"
    dotted = rf"{part}(?: (?:dot|underscore|dash) {part})*"
    pattern = re.compile(rf"\b({dotted}) at ({part}(?: dot {part})+)\b")

    def write(match: re.Match[str]) -> str:
        return f"{_write_dotted(match.group(1))}@{_write_dotted(match.group(2))}"

    return pattern.sub(write, text).split()


def _write_dotted(spoken: str) -> str:
    symbols = {"dot": ".", "underscore": "_", "dash": "-"}
    pieces = re.split(r" (dot|underscore|dash) ", spoken)
    return "".join(symbols.get(piece) or piece.replace(" ", "") for piece in pieces)


def _restore_names(text: str, names: Sequence[str]) -> str:
    for name in sorted(set(names), key=len, reverse=True):
        text = re.sub(rf"(?<![\w'-]){re.escape(name.casefold())}(?![\w'-])", name, text)
    return text


def spoken_words(text: str) -> list[str]:
    """The words a voice says for ``text``, as a recogniser writes them: lower case, numbers
    up to 99 as words ("26" is "twenty six"), longer ones digit by digit, no punctuation.

    A code ("BL-123456") is spelt as a company reads it out: letter by letter, "dash", digit
    by digit. Built from "bl one two ...", the demo line's language model heard its "B L dash
    9 8 5 4 4 0" as "bl catch 985440", and no phone order's number was ever read.

    The reference for measuring a recogniser, and the text a language model is built from.
    """
    words: list[str] = []
    for match in re.finditer(r"\b([A-Z]{1,4})-(\d+)\b|[A-Za-z][A-Za-z']*|\d+", text):
        token = match.group(0)
        if match.group(1):
            digits = [DIGIT_WORDS[int(digit)] for digit in match.group(2)]
            words += [*match.group(1).casefold(), "dash", *digits]
        elif token.isdigit():
            if len(token) <= 2 and not token.startswith("0"):
                words.extend(number_words(int(token)).split())
            else:
                words.extend(DIGIT_WORDS[int(digit)] for digit in token)
        else:
            words.append(token.casefold())
    return words
