"""mystery-shopper's engine: shoppers, channels, tasks, the timeline and its metrics.

The domain's public names are re-exported here; the domain (timeline, metrics,
results) imports neither Playwright, nor pytest, nor Faker, so importing this
package stays cheap (the command line imports it before pytest starts).
"""

from journeys.errors import (
    CompanyProfileError,
    ConfigError,
    ExpectationsNotMet,
    JourneyBroken,
    MysteryShopperError,
)
from journeys.metrics import ContactMetrics, JourneyMetrics, measure_contact, measure_journey
from journeys.timeline import Contact, Event, EventKind, Timeline

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
