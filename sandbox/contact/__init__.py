"""The contact channels over the contact-centre engine: live conversations, the chat and softphone
pages, the social site, the contact form and webmail.

The engine itself (:mod:`sandbox.contact_centre`) knows no web; this package is its wire.
"""
