"""Load and validate the phone menu tree (``[contact_centre.ivr]``).

A menu's options either open a deeper menu (``menu = "name"``) or route the call
(``intent = "cancel"``, optionally ``department``, which must then be the first
department of that intent's phone route). Menus may point back up the tree ("the
main menu"), so the tree may be a graph; every menu must exist and labels must be
speakable in one sentence (no full stops), since the harness reads them back.
"""

from __future__ import annotations

from collections.abc import Mapping

from sandbox.contact_centre.model import DEPARTMENTS, INTENTS, Channel, Department, Intent
from sandbox.contact_centre.profile import Ivr, IvrMenu, IvrOption, Route
from sandbox.contact_centre.tables import Table

KEYPAD = "0123456789*#"


def load_ivr(table: Table, routes: Mapping[tuple[Channel, Intent], Route]) -> Ivr:
    """Build the menu tree, checking every option leads to a menu or a route."""
    table.check_keys(("start", "repeat_key", "invalid_limit", "no_input_seconds", "menus"))
    repeat_key = table.text("repeat_key") or "9"
    if repeat_key not in KEYPAD or len(repeat_key) != 1:
        raise table.error("repeat_key", f"expected one keypad key ({KEYPAD}), got {repeat_key!r}")
    menus_table = table.required_table("menus")
    menus: dict[str, IvrMenu] = {}
    for name in menus_table:
        menu_table = menus_table.required_table(name)
        menu_table.check_keys(("options",))
        options = tuple(
            _option(option_table, repeat_key, routes) for option_table in menu_table.table_list("options")
        )
        keys = [option.key for option in options]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise menu_table.error("options", f"key {duplicates[0]} is used twice")
        menus[name] = IvrMenu(name, options)
    start = table.text("start") or ""
    if start not in menus:
        raise table.error("start", f"unknown menu '{start}' (menus: {', '.join(sorted(menus))})")
    for name, menu in menus.items():
        for index, option in enumerate(menu.options):
            if option.menu is not None and option.menu not in menus:
                raise Table(table.source, f"{menus_table.name}.{name}", {}).error(
                    f"options[{index}].menu",
                    f"unknown menu '{option.menu}' (menus: {', '.join(sorted(menus))})",
                )
    return Ivr(
        start=start,
        menus=menus,
        repeat_key=repeat_key,
        invalid_limit=table.integer("invalid_limit", minimum=1) or 3,
        no_input_seconds=table.number("no_input_seconds", default=10.0, positive=True),
    )


def _option(table: Table, repeat_key: str, routes: Mapping[tuple[Channel, Intent], Route]) -> IvrOption:
    table.check_keys(("key", "label", "menu", "intent", "department"))
    key = table.text("key") or ""
    if len(key) != 1 or key not in KEYPAD:
        raise table.error("key", f"expected one keypad key ({KEYPAD}), got {key!r}")
    if key == repeat_key:
        raise table.error("key", f"{key} is the repeat key ('hear these options again')")
    label = table.text("label") or ""
    if not label:
        raise table.error("label", "missing")
    if "." in label:
        raise table.error("label", "must not contain a full stop (it is spoken in one sentence)")
    menu = table.text("menu")
    intent: Intent | None = None
    if "intent" in table:
        intent = table.choice("intent", INTENTS, "intent")
    if (menu is None) == (intent is None):
        raise table.error("intent", "an option needs exactly one of menu or intent")
    department: Department | None = None
    if "department" in table:
        if intent is None:
            raise table.error("department", "only an option with an intent routes to a department")
        department = table.choice("department", DEPARTMENTS, "department")
        first = routes[("phone", intent)].legs[0].department
        if department != first:
            raise table.error(
                "department",
                f"'{department}' is not where phone route '{intent}' starts ('{first}')",
            )
    return IvrOption(key=key, label=label, menu=menu, intent=intent, department=department)
