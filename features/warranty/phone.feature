@warranty @phone @nightly
Feature: A warranty claim by phone
  A returning customer calls because something they bought has broken. Inside the
  warranty the company opens a case, which must then be listed on the order's page;
  outside it, the customer deserves a plain no, not a case number that exists nowhere.

  @smoke
  Scenario: Claim on the warranty of a blender bought 400 days ago
    Given I am a returning customer who bought "Blender 3000" 400 days ago
    When I call about a warranty claim because "the motor stopped"
    Then my warranty claim is registered
    And I am given a reference number
    And my problem is resolved in one contact
    And I am transferred at most once
    And I am never asked for my order number twice
    And I hold for less than 2 minutes in total
    And I make at most 2 menu choices

  Scenario: Claim on an espresso machine whose warranty ended
    Given I am a returning customer who bought "Espresso Master" 900 days ago
    When I call about a warranty claim because "the pump makes no pressure"
    Then I am told honestly that it is out of warranty
    And I am transferred at most once
    And I hold for less than 2 minutes in total
