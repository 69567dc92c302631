# An example journey, written by `mystery-shopper init`: a new customer orders on the web.
#
# It runs against the demo company that ships with mystery-shopper, at once:
#   mystery-shopper run --time-scale 0.05
# (--time-scale 0.05 runs the demo company's queues and holds 20 times faster.)
#
# Each line after Given/When/Then is a step phrase: `mystery-shopper steps` lists them
# all, ours and the ones in this repository's steps/ folder ("I have an order number to
# quote" is one of those). `mystery-shopper check` checks these files before a run.
# Tags say what the journey is (@ordering) and through which channel (@web); pick
# journeys by them with -m, e.g. mystery-shopper run -m web.
@ordering @web
Feature: Ordering on the web
  A new customer orders a kettle in the web shop with Standard shipping, then finds
  the order with the shipping they chose.

  Scenario: Order a kettle with Standard shipping
    Given I am a new customer
    When I order "Kettle Pro" through the web with Standard shipping
    Then I have an order number to quote
    And my order exists with Standard shipping
