@enquiry @web @nightly
Feature: Looking up an order's status at Harbor Lane Goods
  After ordering, the customer comes back to the shop's site to see where the order is.

  Scenario: Look up the order's status after ordering
    Given I am a new customer
    And I have ordered "Wool Throw Blanket" through the web with Standard shipping
    When I ask where my order is through the web
    Then my question is answered
