@returns @web @nightly
Feature: Returning an item through the returns portal
  The customer asks for a return on the order's page and checks that the
  return is listed there.

  Scenario: Return an item through the returns portal
    Given I am a new customer
    And I have ordered "Air Fryer XL" through the web with Standard shipping
    When I ask to return it through the web
    Then I am given a reference number
    And my return is registered
