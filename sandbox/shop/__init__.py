"""The web shop: catalogue, carts, checkout, orders and their life cycle, aftercare, and their pages,
in two storefront styles (:mod:`sandbox.shop.storefronts`) over the same database.

Its database functions serve both its own pages and the contact centre's agents, so what an
agent does on the phone is what the order page shows.
"""
