@warranty @chat @nightly
Feature: A warranty claim by chat
  A returning customer opens the chat because something they bought has broken.
  Inside the warranty the case number given must be listed on the order's page;
  outside it, an honest no.

  Scenario: Claim on the warranty of an air fryer bought 200 days ago
    Given I am a returning customer who bought "Air Fryer XL" 200 days ago
    When I make a warranty claim through chat because "the fan rattles and stops"
    Then my warranty claim is registered
    And I am given a reference number
    And my problem is resolved in one contact
    And I am transferred at most once
    And I am never asked for my serial number twice

  Scenario: Claim on a kettle whose warranty ended
    Given I am a returning customer who bought "Kettle Pro" 500 days ago
    When I make a warranty claim through chat because "it no longer switches off"
    Then I am told honestly that it is out of warranty
    And I am transferred at most once
