@cancellation @web @nightly
Feature: Cancelling right after submitting
  A customer submits an order and immediately changes their mind. Whether the
  order really is cancelled is read on the order's page, not taken from what
  the shop says.

  @smoke
  Scenario: Cancel a web order right away on the web
    Given I am a new customer
    And I have ordered "Kettle Pro" through the web with Standard shipping
    When I cancel it right away through the web
    Then my order is cancelled
