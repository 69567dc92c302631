@returns @chat @nightly
Feature: Returning an item by chat
  The customer asks an agent in the chat for a return; the return number the
  agent gives must then be listed on the order's page.

  Scenario: Ask for a return in the chat
    Given I am a new customer
    And I have ordered "Stand Mixer" through the web with Express shipping
    When I ask to return it through chat
    Then I am given a reference number
    And my return is registered
    And I am told when it will happen
    And I am asked whether I am satisfied
