"""mystery-shopper's engine: shoppers, channels, tasks, the timeline and its metrics.

The domain's public names are re-exported here; the domain (timeline, metrics,
results) imports neither Playwright, nor pytest, nor Faker, so importing this
package stays cheap (the command line imports it before pytest starts).
"""

from journeys.domain.metrics import ContactMetrics, JourneyMetrics, measure_contact, measure_journey
from journeys.domain.timeline import Contact, Event, EventKind, Timeline
from journeys.errors import (
    CompanyProfileError,
    ConfigError,
    ExpectationsNotMet,
    JourneyBroken,
    MysteryShopperError,
)

__all__ = [
    "CompanyProfileError",
    "ConfigError",
    "Contact",
    "ContactMetrics",
    "Event",
    "EventKind",
    "ExpectationsNotMet",
    "JourneyBroken",
    "JourneyMetrics",
    "MysteryShopperError",
    "Timeline",
    "measure_contact",
    "measure_journey",
]
