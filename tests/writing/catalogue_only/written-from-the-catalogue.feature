@repair @ordering @chat @social
Feature: Written from the catalogue alone
  Every line below was written from docs/steps.md, by someone who never opened
  steps/ or journeys/. If the catalogue promises a phrase, it must run.

  Scenario: A toaster bought long ago, repaired through the chat
    Given I am a returning customer who bought "Toaster Duo" 450 days ago
    When I ask for a repair through the chat because "the lever will not stay down"
    Then my repair is booked
    And I am given a reference number
    And I am told when it will happen
    And I am never asked for my postcode twice
    And I am transferred at most twice
    And I hold for less than 90 s in total

  Scenario: A grinder bought in a social DM, found on the web shop
    Given I am a new customer
    When I order "Coffee Grinder" through a social DM with Express shipping
    Then I am given an order number
    And my order exists with Express shipping
    And I reach a person within 3 minutes
    And I am never escalated
