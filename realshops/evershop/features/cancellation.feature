@cancellation @web @nightly
Feature: Cancelling right after submitting at Harbor Lane Goods
  The customer changes their mind as soon as the order is placed. Whether it is
  cancelled is read on the order's page, not taken from what the shop says.

  Scenario: Cancel a web order right away on the web
    Given I am a new customer
    And I have ordered "Enamel Camp Mug" through the web with Express shipping
    When I cancel it right away through the web
    Then my order is cancelled
