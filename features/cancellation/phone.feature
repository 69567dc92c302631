@cancellation @phone @nightly
Feature: Cancelling by phone right after submitting
  The customer orders on the web, then calls to cancel at once: through the
  phone menu, the queue, and whoever answers.

  Scenario: Cancel a web order right away by phone
    Given I am a new customer
    And I have ordered "Kettle Pro" through the web with Standard shipping
    When I cancel it right away through the phone
    Then my order is cancelled
    And I am given a reference number
    And my problem is resolved in one contact
    And I am transferred at most once
    And I am never asked for my order number twice
    And I hold for less than 2 minutes in total
    And I make at most 2 menu choices
