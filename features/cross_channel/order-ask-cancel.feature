@cross_channel @web @social @phone @nightly
Feature: One order across three channels
  The customer orders on the web, asks about the order in a social DM, then calls
  to cancel it. Each channel should know what the others did; whether the order
  really is cancelled is read on the web, where it started.

  Scenario: Order on the web, ask on social, cancel by phone, check on the web
    Given I am a new customer
    And I have ordered "Rice Cooker 5" through the web with Express shipping
    When I ask where my order is through social
    And I cancel it right away through the phone
    Then my order is cancelled
    And my problem is resolved
    And I am given a reference number
    And I am never asked for my order number twice
    And I hold for less than 2 minutes in total
