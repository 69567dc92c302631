"""A journey in progress: the customer (actor) that steps ask to do things.

Steps never touch a page: they call tasks (:mod:`journeys.journey.tasks`) and
expectations (:mod:`journeys.journey.expectations`) with the journey, which holds the
shopper, the company, the contacts made so far, the facts learnt on the way
(an order number), and what was found.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from playwright.sync_api import BrowserContext

from journeys.channels.web import WebShop
from journeys.channels.written.letters import MailThread
from journeys.company.profile import CompanyProfile
from journeys.domain.metrics import JourneyMetrics, RefusalCheck, measure_journey
from journeys.domain.progress import Doing, doing_now
from journeys.domain.results import (
    Breakage,
    Finding,
    JourneyResult,
    JourneyStatus,
    RunDirectory,
    Verification,
    VerificationKind,
)
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Channel, Contact, Event, EventKind
from journeys.errors import JourneyBroken, first_line


class Screenshotter(Protocol):
    """A channel page that can show where the customer was."""

    def screenshot(self, path: str) -> bool: ...


@dataclass(frozen=True)
class StepPlace:
    """The step being run, for findings: its words and where it is written."""

    text: str
    feature: str
    line: int


@dataclass(frozen=True)
class JourneyIdentity:
    """Which scenario a journey carries out, and under what settings."""

    journey_id: str
    name: str
    feature: str
    line: int
    tags: tuple[str, ...]
    company: str
    profile: str | None
    seed: int
    time_scale: float = 1.0


def journey_id_for(node_id: str) -> str:
    """A file-name-safe, readable and unique id for a test's journey."""
    import hashlib

    digest = hashlib.sha256(node_id.encode()).hexdigest()[:8]
    name = node_id.split("::")[-1]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60]
    return f"{slug}-{digest}"


class Journey:
    """One customer journey: the actor, its contacts, and what it found."""

    def __init__(
        self,
        identity: JourneyIdentity,
        *,
        company: CompanyProfile,
        shopper: Shopper,
        browser_context: Callable[[], BrowserContext],
        run_dir: RunDirectory,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.identity = identity
        self.company = company
        self.shopper = shopper
        self.run_dir = run_dir
        self.clock = clock
        self.started_at = clock()
        self.contacts: list[Contact] = []
        self.facts: dict[str, str] = {}
        self.findings: list[Finding] = []
        self.verifications: list[Verification] = []
        self.breakage: Breakage | None = None
        self.current_step: StepPlace | None = None
        self.completed = False
        self.mail_threads: list[tuple[Contact, MailThread, int]] = []
        """Each e-mail contact, its thread, and the first mailbox UID its reading had not reached
        when the customer stopped reading (where a later look for a follow-up starts)."""
        self._browser_context = browser_context
        self._web: WebShop | None = None
        self._last_page: Screenshotter | None = None
        self._watchers: list[Callable[[Journey], None]] = []

    @property
    def web(self) -> WebShop:
        """The customer's tab on the web shop, opened on first use."""
        if self._web is None:
            self._web = WebShop(self.company, self._browser_context())
        self._web.shopper = self.shopper  # who they are may change (a returning customer)
        self._last_page = self._web
        return self._web

    def browser(self) -> BrowserContext:
        """The customer's browser (one per journey: their cookies, their tabs)."""
        return self._browser_context()

    def using(self, page: Screenshotter) -> None:
        """Note the page the customer is looking at, for evidence if the journey breaks."""
        self._last_page = page

    def watch(self, watcher: Callable[[Journey], None]) -> None:
        """Be told each time one of the journey's contacts notes an event (the live view's feed).

        A watcher that fails must not cost the journey: see :meth:`_noticed`.
        """
        self._watchers.append(watcher)

    def _noticed(self, event: Event) -> None:
        for watcher in self._watchers:
            try:
                watcher(self)
            except Exception:  # a live view that cannot write (disk full) must not break a journey
                continue

    def doing(self) -> Doing | None:
        """What the customer is doing now (see :mod:`journeys.domain.progress`)."""
        return doing_now(self.contacts)

    @contextmanager
    def contact(self, channel: Channel, purpose: str, *, setup: bool = False) -> Iterator[Contact]:
        """Open a contact with the company; it is closed even if the journey breaks."""
        contact = Contact(
            channel=channel, purpose=purpose, setup=setup, clock=self.clock, listener=self._noticed
        )
        self.contacts.append(contact)
        contact.note(EventKind.CONTACT_STARTED, text=purpose)
        try:
            yield contact
        finally:
            contact.note(EventKind.CONTACT_ENDED, text=contact.ending)

    def fact(self, name: str, *, needed_for: str, channel: str) -> str:
        """A fact an earlier step learnt; breaks the journey if it is missing."""
        if name in self.facts:
            return self.facts[name]
        why = self.facts.get(f"{name}_missing_because")
        raise JourneyBroken(
            f"{channel}: cannot {needed_for}: no {name.replace('_', ' ')} from an earlier step"
            + (f" ({why})" if why else ""),
            channel=channel,
            action=needed_for,
        )

    def expect(self, met: bool, *, expectation: str, observed: str) -> None:
        """Record an expectation; an unmet one becomes a finding, and the journey goes on."""
        if met:
            return
        place = self.current_step
        self.findings.append(
            Finding(
                expectation=place.text if place else expectation,
                observed=observed,
                feature=place.feature if place else self.identity.feature,
                line=place.line if place else self.identity.line,
            )
        )

    def verify(
        self,
        what: str,
        *,
        expected: str,
        observed: str,
        passed: bool,
        channel: str,
        kind: VerificationKind = "done",
        claimed: bool | None = None,
        claim: str = "",
    ) -> Verification:
        """Record what an independent check saw (the order page, not the agent's word).

        A ``refusal`` check says whether the company's no was true; it decides the outcome
        between answered honestly and misinformed (see :func:`journeys.domain.metrics.journey_outcome`).
        """
        verification = Verification(
            what=what,
            expected=expected,
            observed=observed,
            passed=passed,
            at=self.clock(),
            channel=channel,
            kind=kind,
            claimed=claimed,
            claim=claim,
        )
        self.verifications.append(verification)
        return verification

    def mark_broken(self, error: BaseException) -> Breakage:
        """Record why the journey could not go on, with a screenshot of where it stopped."""
        screenshot: str | None = None
        if self._last_page is not None:
            path = self.run_dir.artifact_path(self.identity.journey_id, "broken.png")
            try:
                if self._last_page.screenshot(str(path)):
                    screenshot = str(path.relative_to(self.run_dir.path))
            except Exception:
                screenshot = None
        message = first_line(error)
        self.breakage = Breakage(
            message=self.company.secrets.scrub(message),
            channel=getattr(error, "channel", None),
            action=getattr(error, "action", None),
            screenshot=screenshot,
        )
        return self.breakage

    @property
    def status(self) -> JourneyStatus:
        if self.breakage is not None:
            return "broken"
        if not self.completed:
            return "interrupted"
        return "findings" if self.findings else "passed"

    def metrics(self) -> JourneyMetrics:
        """The journey's metrics so far, with resolution as last verified.

        A check of the company's no counts when it came after the last check of the fix.
        """
        done = [check for check in self.verifications if check.kind == "done"]
        last_check = done[-1] if done else None
        last = self.verifications[-1] if self.verifications else None
        refusal = RefusalCheck(last.passed, last.observed) if last and last.kind == "refusal" else None
        return measure_journey(
            self.contacts,
            verified_resolved=last_check.passed if last_check else None,
            verified_at=last_check.at if last_check else None,
            verified_words=last_check.observed if last_check else "",
            checked_claim=(
                (last_check.claimed, last_check.claim)
                if last_check is not None and last_check.claimed is not None
                else None
            ),
            refusal=refusal,
        )

    def result(self) -> JourneyResult:
        """The journey's record as it stands now."""
        identity = self.identity
        return JourneyResult(
            journey_id=identity.journey_id,
            name=identity.name,
            feature=identity.feature,
            line=identity.line,
            tags=identity.tags,
            company=identity.company,
            profile=identity.profile,
            seed=identity.seed,
            time_scale=identity.time_scale,
            shopper={"name": self.shopper.name, "email": self.shopper.email},
            status=self.status,
            started_at=self.started_at,
            ended_at=self.clock(),
            contacts=tuple(self.contacts),
            metrics=self.metrics(),
            findings=tuple(self.findings),
            verifications=tuple(self.verifications),
            facts=dict(self.facts),
            breakage=self.breakage,
        )
