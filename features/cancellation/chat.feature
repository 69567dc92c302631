@cancellation @chat @nightly
Feature: Cancelling by chat right after submitting
  The customer orders on the web, then asks in the site's chat to cancel at
  once. The agent's word is not enough: the order's page must show it cancelled.

  Scenario: Cancel a web order right away in the chat
    Given I am a new customer
    And I have ordered "Toaster Duo" through the web with Express shipping
    When I cancel it right away through chat
    Then my order is cancelled
    And I am given a reference number
    And I reach a person within 1 minute
    And I am transferred at most once
    And I am never escalated
