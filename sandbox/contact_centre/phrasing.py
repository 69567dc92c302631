"""Every sentence the company says, in one place, with two or three variants each.

Variants are picked by the conversation's seeded RNG, so the harness's patterns must
be general; each kind is worded so that it cannot be mistaken for another
(``tests/contact_centre`` proves every variant matches only its own event's
patterns in :mod:`.recognisers`). Field and department names are stable words:
fields are asked for as ``FIELD_WORDS`` ("order number", "postcode", ...) and
departments named as ``DEPARTMENT_NAMES`` ("Returns"). References have fixed
formats: orders ``BL-123456``, returns ``RMA-12345``, warranty cases ``WC-12345``,
repair bookings ``RP-12345``; a cancellation's reference is its order number.
Promises carry a duration ("within 5 business days") or a date ("on Thursday
26 November").

The table below is kept equal to :data:`PHRASES` by a test. Each kind is followed
by the harness event it signals, if any::

    welcome
        - Welcome to Brightline Appliances. How can we help you today?
        - Hello and welcome to Brightline Appliances. What can we do for you?
    identified
        - Thank you. How can we help you today?
        - Thanks, we have found you. What can we do for you?
    clarify
        - Sorry, I didn't catch that. Are you asking about buying something, an order's status,
          a cancellation, a return, a repair or a warranty claim?
        - Could you tell me a bit more? For example: a new order, tracking an order, cancelling,
          returning, a repair or a warranty claim.
    queue  -> hold_started
        - All our agents are busy. You are number {position} in the queue.
        - We are experiencing high demand. You are number {position} in the queue.
        - Our team is helping other customers. You are number {position} in line.
    queue_next
        - You are next in the queue.
        - You're next in line.
    on_hold  -> hold_started
        - You are on hold.
        - You have been placed on hold.
    off_hold  -> hold_ended
        - You are no longer on hold.
        - Your hold has ended.
    agent_joined_chat  -> agent_joined
        - You are now chatting with {agent} ({department}).
        - {agent} ({department}) has joined the chat.
    chat_greeting
        - Hi! I can help you with that.
        - Hello, I'll be glad to help with that.
        - Hi there, let's get this sorted for you.
    agent_greeting  -> agent_joined
        - Hello, this is {agent} from {department}.
        - Hi, my name is {agent} and I work in {department}.
        - Good day, {agent} from {department} here.
    typing
        - {who} is typing...
        - {who} is writing a reply...
    ask  -> info_requested
        - Can I have your {field}, please?
        - Could you tell me your {field}, please?
        - What is your {field}, please?
    reask  -> info_requested
        - Could you give me your {field} again?
        - Can you confirm your {field} once more?
        - Sorry, what was your {field} again?
    invalid_value
        - Sorry, that doesn't look like a valid {field}.
        - Hmm, that isn't a {field} I recognise.
    no_answer
        - Are you still there?
        - Hello, are you still with me?
    no_answer_goodbye
        - I can't hear you, so I'll end the call here. Goodbye.
        - I'm afraid I can't hear anything. Goodbye.
    please_hold  -> hold_started
        - Please hold while I check that.
        - Bear with me, I'm putting you on hold for a moment.
        - Could you hold for a moment while I look into this?
    thanks_for_holding  -> hold_ended
        - Thank you for holding.
        - Thanks for waiting, I'm back.
        - Sorry to keep you waiting.
    cold_transfer  -> transferred
        - I'm transferring you to {department}.
        - I'll transfer you to {department} now.
        - Let me send you over to {department}.
    warm_transfer  -> transferred
        - I'm putting you through to {department} and passing on your details.
        - I'll connect you with {department} and brief them on your case.
        - Let me hand you over to {department}; they'll have your details.
    conference_invite  -> conferenced
        - Let me bring {department} into this conversation; I'll stay with you.
        - I'm asking a colleague from {department} to join us, and I'm staying on.
        - I'll bring in someone from {department} while I stay with you.
    conference_greeting
        - {agent} joining you both. I've checked your case.
        - Hi both, {agent} here. I've looked over the details.
    conference_left
        - Thanks, {agent}. I'm still here with you.
        - {agent} has left us now; I'm still with you.
    escalation  -> escalated
        - Let me get my supervisor for you.
        - I'm escalating this to a manager.
        - I'll pass this to my supervisor.
    resolved_order  -> outcome_resolved
        - Your order has been placed.
        - I've placed that order for you.
        - All done: your order is placed.
    resolved_cancel  -> outcome_resolved
        - Your order has been cancelled.
        - I've cancelled your order.
        - All done: your order is cancelled.
    resolved_return  -> outcome_resolved
        - Your return has been booked.
        - I've set up your return.
        - All done: your return is arranged.
    resolved_repair  -> outcome_resolved
        - Your repair has been booked.
        - I've booked an engineer for you.
        - All done: your repair is arranged.
    resolved_warranty  -> outcome_resolved
        - Your warranty claim has been opened.
        - I've opened a warranty case for you.
        - All done: your warranty claim is registered.
    resolved_enquiry  -> outcome_resolved
        - The status of your order is: {status}.
        - Your order's current status is {status}.
        - I've checked your order: its status is {status}.
    reference_order  -> reference_given
        - Your order number is {reference}.
        - Please note your order number: {reference}.
    reference_cancel  -> reference_given
        - Your cancellation reference is {reference}.
        - Please keep {reference} as your cancellation reference.
    reference_return  -> reference_given
        - Your return authorisation number is {reference}.
        - Your RMA number is {reference}.
    reference_repair  -> reference_given
        - Your repair booking reference is {reference}.
        - Please quote booking {reference} if you need us.
    reference_warranty  -> reference_given
        - Your warranty case number is {reference}.
        - Please quote case {reference} if you contact us again.
    reference_again  -> reference_given
        - I'll repeat that: {reference}.
        - That's {reference}.
    promise_refund  -> promise_made
        - Your refund will reach your card within {duration}.
        - You'll get your money back within {duration}.
    promise_collection  -> promise_made
        - A courier will collect the item on {date}.
        - We'll pick the item up on {date}.
    promise_engineer  -> promise_made
        - An engineer will visit on {date}.
        - Our engineer will come to you on {date}.
    promise_delivery  -> promise_made
        - Your order will arrive by {date}.
        - You can expect delivery by {date}.
    promise_warranty  -> promise_made
        - Our warranty team will contact you within {duration}.
        - You'll hear from our warranty team within {duration}.
    policy_order  -> policy_recited
        - Our policy is that orders are only confirmed once payment has cleared.
        - As per company policy, we only deliver to the address on the payment card.
    policy_cancel  -> policy_recited
        - Our policy is that an order cannot be changed once it has been placed.
        - As per company policy, cancellations are handled in the order they arrive.
    policy_return  -> policy_recited
        - Our policy is that returns must be requested within 30 days of delivery, in the
          original packaging.
        - As per company policy, we only accept returns with proof of purchase.
    policy_repair  -> policy_recited
        - Our policy is that repairs are only booked once the fault has been diagnosed.
        - As per company policy, an engineer only visits appliances registered with us.
    policy_warranty  -> policy_recited
        - Our policy is that warranty claims need the original receipt.
        - As per company policy, the warranty does not cover accidental damage.
    policy_enquiry  -> policy_recited
        - Our policy is that we can only discuss an order with the person who placed it.
        - As per company policy, delivery dates are only confirmed once an order has shipped.
    refusal_too_late  -> outcome_not_resolved
        - I'm sorry, your order is already being processed, so it can no longer be cancelled.
        - Unfortunately it's too late: your order has already gone to our warehouse.
    refusal_not_found  -> outcome_not_resolved
        - I'm sorry, I can't find an order with those details.
        - Unfortunately nothing on our system matches those details.
    refusal_out_of_warranty  -> outcome_not_resolved
        - I'm afraid this item is no longer under warranty.
        - Unfortunately the warranty on this item has expired.
    refusal_not_returnable  -> outcome_not_resolved
        - I'm afraid this item can no longer be returned.
        - Unfortunately the return period for this item has ended.
    refusal_unavailable  -> outcome_not_resolved
        - I'm sorry, we can't take that order: the product or delivery option isn't available.
        - Unfortunately we can't offer that product with that shipping method.
    refusal_policy  -> outcome_not_resolved
        - I'm afraid that isn't something we can do.
        - Unfortunately our policy doesn't allow that.
    unresolved  -> outcome_not_resolved
        - I'm afraid I can't sort this out today. Please call back tomorrow.
        - I'm not able to resolve this now; please contact us again later.
        - Unfortunately I can't help with this today. Please try calling back.
    survey  -> satisfaction_check
        - Before you go: are you satisfied with how we handled this today?
        - Did we resolve your issue to your satisfaction today?
        - On a scale of 1 to 5, how satisfied are you with our help today?
    survey_thanks
        - Thank you for your feedback.
        - Thanks, your feedback helps us improve.
    follow_up  -> followed_up
        - Following up as promised: your {topic} is on track, and we need nothing more from you.
        - We said we would keep you posted, so we are following up: your {topic} is going ahead.
    switch_offer  -> channel_switch_offered
        - This would be quicker by phone: call us on {phone}.
        - It might be easier to talk this through: please call us on {phone}.
        - Could we continue by phone? Call us on {phone}.
    closing
        - Thank you for contacting Brightline Appliances. Goodbye.
        - Thanks for getting in touch. Have a good day.
    ended
        - This conversation has ended.
        - Brightline Appliances has closed this conversation.
    ivr_welcome
        - Thank you for calling Brightline Appliances.
        - Welcome to Brightline Appliances customer service.
    ivr_menu_intro
        - Please choose from the following options.
        - Please listen carefully, as our options have changed.
    ivr_option  -> menu_prompt
        - For {label}, press {key}.
        - Press {key} for {label}.
        - If you are calling about {label}, press {key}.
    ivr_repeat  -> menu_prompt
        - To hear these options again, press {key}.
        - To repeat these options, press {key}.
    ivr_invalid
        - Sorry, that is not a valid option.
        - That key is not one of the options.
    ivr_no_input
        - Sorry, I did not get a choice.
        - I did not hear a selection.
    ivr_give_up
        - We could not process your selection. Goodbye.
        - Sorry, we are unable to continue with this call. Goodbye.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from random import Random
from types import MappingProxyType

from sandbox.contact_centre.model import Department, FieldName, Intent

COMPANY = "Brightline Appliances"

DEPARTMENT_NAMES: Mapping[Department, str] = MappingProxyType(
    {
        "sales": "Sales",
        "orders": "Orders",
        "returns": "Returns",
        "repairs": "Repairs",
        "billing": "Billing",
        "supervisors": "Supervisors",
    }
)

# The words an agent uses for each field; stable, so the harness can tell which field is asked.
FIELD_WORDS: Mapping[FieldName, str] = MappingProxyType(
    {
        "name": "full name",
        "email": "email address",
        "phone": "phone number",
        "order_number": "order number",
        "postcode": "postcode",
        "serial_number": "serial number",
        "purchase_date": "purchase date",
        "product": "product",
        "shipping_method": "shipping method",
        "address": "delivery address",
    }
)


class PhraseKind(StrEnum):
    """Every kind of sentence the company says; see the table in the module docstring."""

    WELCOME = "welcome"
    IDENTIFIED = "identified"
    CLARIFY = "clarify"
    QUEUE = "queue"
    QUEUE_NEXT = "queue_next"
    ON_HOLD = "on_hold"
    OFF_HOLD = "off_hold"
    AGENT_JOINED_CHAT = "agent_joined_chat"
    CHAT_GREETING = "chat_greeting"
    AGENT_GREETING = "agent_greeting"
    TYPING = "typing"
    ASK = "ask"
    REASK = "reask"
    INVALID_VALUE = "invalid_value"
    NO_ANSWER = "no_answer"
    NO_ANSWER_GOODBYE = "no_answer_goodbye"
    PLEASE_HOLD = "please_hold"
    THANKS_FOR_HOLDING = "thanks_for_holding"
    COLD_TRANSFER = "cold_transfer"
    WARM_TRANSFER = "warm_transfer"
    CONFERENCE_INVITE = "conference_invite"
    CONFERENCE_GREETING = "conference_greeting"
    CONFERENCE_LEFT = "conference_left"
    ESCALATION = "escalation"
    RESOLVED_ORDER = "resolved_order"
    RESOLVED_CANCEL = "resolved_cancel"
    RESOLVED_RETURN = "resolved_return"
    RESOLVED_REPAIR = "resolved_repair"
    RESOLVED_WARRANTY = "resolved_warranty"
    RESOLVED_ENQUIRY = "resolved_enquiry"
    REFERENCE_ORDER = "reference_order"
    REFERENCE_CANCEL = "reference_cancel"
    REFERENCE_RETURN = "reference_return"
    REFERENCE_REPAIR = "reference_repair"
    REFERENCE_WARRANTY = "reference_warranty"
    REFERENCE_AGAIN = "reference_again"
    PROMISE_REFUND = "promise_refund"
    PROMISE_COLLECTION = "promise_collection"
    PROMISE_ENGINEER = "promise_engineer"
    PROMISE_DELIVERY = "promise_delivery"
    PROMISE_WARRANTY = "promise_warranty"
    POLICY_ORDER = "policy_order"
    POLICY_CANCEL = "policy_cancel"
    POLICY_RETURN = "policy_return"
    POLICY_REPAIR = "policy_repair"
    POLICY_WARRANTY = "policy_warranty"
    POLICY_ENQUIRY = "policy_enquiry"
    REFUSAL_TOO_LATE = "refusal_too_late"
    REFUSAL_NOT_FOUND = "refusal_not_found"
    REFUSAL_OUT_OF_WARRANTY = "refusal_out_of_warranty"
    REFUSAL_NOT_RETURNABLE = "refusal_not_returnable"
    REFUSAL_UNAVAILABLE = "refusal_unavailable"
    REFUSAL_POLICY = "refusal_policy"
    UNRESOLVED = "unresolved"
    SURVEY = "survey"
    SURVEY_THANKS = "survey_thanks"
    FOLLOW_UP = "follow_up"
    SWITCH_OFFER = "switch_offer"
    CLOSING = "closing"
    ENDED = "ended"
    IVR_WELCOME = "ivr_welcome"
    IVR_MENU_INTRO = "ivr_menu_intro"
    IVR_OPTION = "ivr_option"
    IVR_REPEAT = "ivr_repeat"
    IVR_INVALID = "ivr_invalid"
    IVR_NO_INPUT = "ivr_no_input"
    IVR_GIVE_UP = "ivr_give_up"


K = PhraseKind
PHRASES: Mapping[PhraseKind, tuple[str, ...]] = MappingProxyType(
    {
        K.WELCOME: (
            "Welcome to Brightline Appliances. How can we help you today?",
            "Hello and welcome to Brightline Appliances. What can we do for you?",
        ),
        K.IDENTIFIED: (
            "Thank you. How can we help you today?",
            "Thanks, we have found you. What can we do for you?",
        ),
        K.CLARIFY: (
            "Sorry, I didn't catch that. Are you asking about buying something, an order's status,"
            " a cancellation, a return, a repair or a warranty claim?",
            "Could you tell me a bit more? For example: a new order, tracking an order,"
            " cancelling, returning, a repair or a warranty claim.",
        ),
        K.QUEUE: (
            "All our agents are busy. You are number {position} in the queue.",
            "We are experiencing high demand. You are number {position} in the queue.",
            "Our team is helping other customers. You are number {position} in line.",
        ),
        K.QUEUE_NEXT: ("You are next in the queue.", "You're next in line."),
        K.ON_HOLD: ("You are on hold.", "You have been placed on hold."),
        K.OFF_HOLD: ("You are no longer on hold.", "Your hold has ended."),
        K.AGENT_JOINED_CHAT: (
            "You are now chatting with {agent} ({department}).",
            "{agent} ({department}) has joined the chat.",
        ),
        K.CHAT_GREETING: (
            "Hi! I can help you with that.",
            "Hello, I'll be glad to help with that.",
            "Hi there, let's get this sorted for you.",
        ),
        K.AGENT_GREETING: (
            "Hello, this is {agent} from {department}.",
            "Hi, my name is {agent} and I work in {department}.",
            "Good day, {agent} from {department} here.",
        ),
        K.TYPING: ("{who} is typing...", "{who} is writing a reply..."),
        K.ASK: (
            "Can I have your {field}, please?",
            "Could you tell me your {field}, please?",
            "What is your {field}, please?",
        ),
        K.REASK: (
            "Could you give me your {field} again?",
            "Can you confirm your {field} once more?",
            "Sorry, what was your {field} again?",
        ),
        K.INVALID_VALUE: (
            "Sorry, that doesn't look like a valid {field}.",
            "Hmm, that isn't a {field} I recognise.",
        ),
        K.NO_ANSWER: ("Are you still there?", "Hello, are you still with me?"),
        K.NO_ANSWER_GOODBYE: (
            "I can't hear you, so I'll end the call here. Goodbye.",
            "I'm afraid I can't hear anything. Goodbye.",
        ),
        K.PLEASE_HOLD: (
            "Please hold while I check that.",
            "Bear with me, I'm putting you on hold for a moment.",
            "Could you hold for a moment while I look into this?",
        ),
        K.THANKS_FOR_HOLDING: (
            "Thank you for holding.",
            "Thanks for waiting, I'm back.",
            "Sorry to keep you waiting.",
        ),
        K.COLD_TRANSFER: (
            "I'm transferring you to {department}.",
            "I'll transfer you to {department} now.",
            "Let me send you over to {department}.",
        ),
        K.WARM_TRANSFER: (
            "I'm putting you through to {department} and passing on your details.",
            "I'll connect you with {department} and brief them on your case.",
            "Let me hand you over to {department}; they'll have your details.",
        ),
        K.CONFERENCE_INVITE: (
            "Let me bring {department} into this conversation; I'll stay with you.",
            "I'm asking a colleague from {department} to join us, and I'm staying on.",
            "I'll bring in someone from {department} while I stay with you.",
        ),
        K.CONFERENCE_GREETING: (
            "{agent} joining you both. I've checked your case.",
            "Hi both, {agent} here. I've looked over the details.",
        ),
        K.CONFERENCE_LEFT: (
            "Thanks, {agent}. I'm still here with you.",
            "{agent} has left us now; I'm still with you.",
        ),
        K.ESCALATION: (
            "Let me get my supervisor for you.",
            "I'm escalating this to a manager.",
            "I'll pass this to my supervisor.",
        ),
        K.RESOLVED_ORDER: (
            "Your order has been placed.",
            "I've placed that order for you.",
            "All done: your order is placed.",
        ),
        K.RESOLVED_CANCEL: (
            "Your order has been cancelled.",
            "I've cancelled your order.",
            "All done: your order is cancelled.",
        ),
        K.RESOLVED_RETURN: (
            "Your return has been booked.",
            "I've set up your return.",
            "All done: your return is arranged.",
        ),
        K.RESOLVED_REPAIR: (
            "Your repair has been booked.",
            "I've booked an engineer for you.",
            "All done: your repair is arranged.",
        ),
        K.RESOLVED_WARRANTY: (
            "Your warranty claim has been opened.",
            "I've opened a warranty case for you.",
            "All done: your warranty claim is registered.",
        ),
        K.RESOLVED_ENQUIRY: (
            "The status of your order is: {status}.",
            "Your order's current status is {status}.",
            "I've checked your order: its status is {status}.",
        ),
        K.REFERENCE_ORDER: (
            "Your order number is {reference}.",
            "Please note your order number: {reference}.",
        ),
        K.REFERENCE_CANCEL: (
            "Your cancellation reference is {reference}.",
            "Please keep {reference} as your cancellation reference.",
        ),
        K.REFERENCE_RETURN: (
            "Your return authorisation number is {reference}.",
            "Your RMA number is {reference}.",
        ),
        K.REFERENCE_REPAIR: (
            "Your repair booking reference is {reference}.",
            "Please quote booking {reference} if you need us.",
        ),
        K.REFERENCE_WARRANTY: (
            "Your warranty case number is {reference}.",
            "Please quote case {reference} if you contact us again.",
        ),
        K.REFERENCE_AGAIN: ("I'll repeat that: {reference}.", "That's {reference}."),
        K.PROMISE_REFUND: (
            "Your refund will reach your card within {duration}.",
            "You'll get your money back within {duration}.",
        ),
        K.PROMISE_COLLECTION: (
            "A courier will collect the item on {date}.",
            "We'll pick the item up on {date}.",
        ),
        K.PROMISE_ENGINEER: (
            "An engineer will visit on {date}.",
            "Our engineer will come to you on {date}.",
        ),
        K.PROMISE_DELIVERY: (
            "Your order will arrive by {date}.",
            "You can expect delivery by {date}.",
        ),
        K.PROMISE_WARRANTY: (
            "Our warranty team will contact you within {duration}.",
            "You'll hear from our warranty team within {duration}.",
        ),
        K.POLICY_ORDER: (
            "Our policy is that orders are only confirmed once payment has cleared.",
            "As per company policy, we only deliver to the address on the payment card.",
        ),
        K.POLICY_CANCEL: (
            "Our policy is that an order cannot be changed once it has been placed.",
            "As per company policy, cancellations are handled in the order they arrive.",
        ),
        K.POLICY_RETURN: (
            "Our policy is that returns must be requested within 30 days of delivery, in the"
            " original packaging.",
            "As per company policy, we only accept returns with proof of purchase.",
        ),
        K.POLICY_REPAIR: (
            "Our policy is that repairs are only booked once the fault has been diagnosed.",
            "As per company policy, an engineer only visits appliances registered with us.",
        ),
        K.POLICY_WARRANTY: (
            "Our policy is that warranty claims need the original receipt.",
            "As per company policy, the warranty does not cover accidental damage.",
        ),
        K.POLICY_ENQUIRY: (
            "Our policy is that we can only discuss an order with the person who placed it.",
            "As per company policy, delivery dates are only confirmed once an order has shipped.",
        ),
        K.REFUSAL_TOO_LATE: (
            "I'm sorry, your order is already being processed, so it can no longer be cancelled.",
            "Unfortunately it's too late: your order has already gone to our warehouse.",
        ),
        K.REFUSAL_NOT_FOUND: (
            "I'm sorry, I can't find an order with those details.",
            "Unfortunately nothing on our system matches those details.",
        ),
        K.REFUSAL_OUT_OF_WARRANTY: (
            "I'm afraid this item is no longer under warranty.",
            "Unfortunately the warranty on this item has expired.",
        ),
        K.REFUSAL_NOT_RETURNABLE: (
            "I'm afraid this item can no longer be returned.",
            "Unfortunately the return period for this item has ended.",
        ),
        K.REFUSAL_UNAVAILABLE: (
            "I'm sorry, we can't take that order: the product or delivery option isn't available.",
            "Unfortunately we can't offer that product with that shipping method.",
        ),
        K.REFUSAL_POLICY: (
            "I'm afraid that isn't something we can do.",
            "Unfortunately our policy doesn't allow that.",
        ),
        K.UNRESOLVED: (
            "I'm afraid I can't sort this out today. Please call back tomorrow.",
            "I'm not able to resolve this now; please contact us again later.",
            "Unfortunately I can't help with this today. Please try calling back.",
        ),
        K.SURVEY: (
            "Before you go: are you satisfied with how we handled this today?",
            "Did we resolve your issue to your satisfaction today?",
            "On a scale of 1 to 5, how satisfied are you with our help today?",
        ),
        K.SURVEY_THANKS: (
            "Thank you for your feedback.",
            "Thanks, your feedback helps us improve.",
        ),
        K.FOLLOW_UP: (
            "Following up as promised: your {topic} is on track, and we need nothing more from you.",
            "We said we would keep you posted, so we are following up: your {topic} is going ahead.",
        ),
        K.SWITCH_OFFER: (
            "This would be quicker by phone: call us on {phone}.",
            "It might be easier to talk this through: please call us on {phone}.",
            "Could we continue by phone? Call us on {phone}.",
        ),
        K.CLOSING: (
            "Thank you for contacting Brightline Appliances. Goodbye.",
            "Thanks for getting in touch. Have a good day.",
        ),
        K.ENDED: (
            "This conversation has ended.",
            "Brightline Appliances has closed this conversation.",
        ),
        K.IVR_WELCOME: (
            "Thank you for calling Brightline Appliances.",
            "Welcome to Brightline Appliances customer service.",
        ),
        K.IVR_MENU_INTRO: (
            "Please choose from the following options.",
            "Please listen carefully, as our options have changed.",
        ),
        K.IVR_OPTION: (
            "For {label}, press {key}.",
            "Press {key} for {label}.",
            "If you are calling about {label}, press {key}.",
        ),
        K.IVR_REPEAT: (
            "To hear these options again, press {key}.",
            "To repeat these options, press {key}.",
        ),
        K.IVR_INVALID: (
            "Sorry, that is not a valid option.",
            "That key is not one of the options.",
        ),
        K.IVR_NO_INPUT: (
            "Sorry, I did not get a choice.",
            "I did not hear a selection.",
        ),
        K.IVR_GIVE_UP: (
            "We could not process your selection. Goodbye.",
            "Sorry, we are unable to continue with this call. Goodbye.",
        ),
    }
)

# What each kind tells the customer, as the harness's event names; None: nothing to measure.
EVENT_OF_KIND: Mapping[PhraseKind, str | None] = MappingProxyType(
    {
        K.WELCOME: None,
        K.IDENTIFIED: None,
        K.CLARIFY: None,
        K.QUEUE: "hold_started",
        K.QUEUE_NEXT: None,
        K.ON_HOLD: "hold_started",
        K.OFF_HOLD: "hold_ended",
        K.AGENT_JOINED_CHAT: "agent_joined",
        K.CHAT_GREETING: None,
        K.AGENT_GREETING: "agent_joined",
        K.TYPING: None,
        K.ASK: "info_requested",
        K.REASK: "info_requested",
        K.INVALID_VALUE: None,
        K.NO_ANSWER: None,
        K.NO_ANSWER_GOODBYE: None,
        K.PLEASE_HOLD: "hold_started",
        K.THANKS_FOR_HOLDING: "hold_ended",
        K.COLD_TRANSFER: "transferred",
        K.WARM_TRANSFER: "transferred",
        K.CONFERENCE_INVITE: "conferenced",
        K.CONFERENCE_GREETING: None,
        K.CONFERENCE_LEFT: None,
        K.ESCALATION: "escalated",
        **{kind: "outcome_resolved" for kind in K if kind.value.startswith("resolved_")},
        **{kind: "reference_given" for kind in K if kind.value.startswith("reference_")},
        **{kind: "promise_made" for kind in K if kind.value.startswith("promise_")},
        **{kind: "outcome_not_resolved" for kind in K if kind.value.startswith("refusal_")},
        **{kind: "policy_recited" for kind in K if kind.value.startswith("policy_")},
        K.UNRESOLVED: "outcome_not_resolved",
        K.SURVEY: "satisfaction_check",
        K.SURVEY_THANKS: None,
        K.FOLLOW_UP: "followed_up",
        K.SWITCH_OFFER: "channel_switch_offered",
        K.CLOSING: None,
        K.ENDED: None,
        K.IVR_WELCOME: None,
        K.IVR_MENU_INTRO: None,
        K.IVR_OPTION: "menu_prompt",
        K.IVR_REPEAT: "menu_prompt",
        K.IVR_INVALID: None,
        K.IVR_NO_INPUT: None,
        K.IVR_GIVE_UP: None,
    }
)


def say(kind: PhraseKind, rng: Random, **values: object) -> str:
    """One variant of ``kind``, picked by the conversation's seeded RNG, filled in."""
    return rng.choice(PHRASES[kind]).format(**values)


def department_name(department: Department) -> str:
    """How agents name a department out loud ("Returns")."""
    return DEPARTMENT_NAMES[department]


def field_words(field: FieldName) -> str:
    """How agents name a field out loud ("order number")."""
    return FIELD_WORDS[field]


def policy_phrase(intent: Intent) -> PhraseKind:
    """The policy an agent recites about ``intent`` instead of solving it."""
    return PhraseKind(f"policy_{intent}")


FOLLOW_UP_TOPICS: Mapping[Intent, str] = MappingProxyType(
    {
        "order": "order",
        "cancel": "refund",
        "return": "return",
        "repair": "repair",
        "warranty": "warranty claim",
        "enquiry": "delivery",
    }
)
"""What a follow-up says is going ahead, by the customer's intent."""


def spoken_date(day: date) -> str:
    """A date as agents say it in promises: "Thursday 26 November"."""
    return f"{day:%A} {day.day} {day:%B}"


def business_days(count: int) -> str:
    """A duration as agents say it in promises: "5 business days"."""
    return f"{count} business day" if count == 1 else f"{count} business days"


SECONDS_PER_WORD = 0.4
"""A slow voice's pace: flite says a six-option menu of 76 words in 24 s (slt, awb) to 28 s
(rms), 0.32 to 0.37 s a word."""


def speaking_seconds(text: str) -> float:
    """About how long a voice takes to say ``text``: at most this, at the slowest voice's pace."""
    return len(text.split()) * SECONDS_PER_WORD


def ivr_prompt(rng: Random, *, first: bool, options: list[tuple[str, str]], repeat_key: str) -> str:
    """A spoken menu: a welcome (or an intro), one sentence per option, then the repeat key.

    One option style is used for the whole menu, as a recorded prompt would.
    """
    opening = say(K.IVR_WELCOME if first else K.IVR_MENU_INTRO, rng)
    option_style = rng.choice(PHRASES[K.IVR_OPTION])
    spoken = [option_style.format(key=key, label=label) for key, label in options]
    return " ".join([opening, *spoken, say(K.IVR_REPEAT, rng, key=repeat_key)])


def phrase_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching every filling of one variant (for tests and docs)."""
    parts = re.split(r"(\{[a-z]+\})", template)
    return re.compile(
        "^" + "".join(".+?" if part.startswith("{") else re.escape(part) for part in parts) + "$"
    )
