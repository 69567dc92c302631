@warranty @email @nightly
Feature: A warranty claim by e-mail
  A returning customer writes to the support address from their own mailbox and reads
  the answers there. The answer must come from a person, in good time, and the case
  number given must be listed on the order's page.

  Scenario: Claim on the warranty of an air fryer by e-mail
    Given I am a returning customer who bought "Air Fryer XL" 200 days ago
    When I make a warranty claim through email because "the basket no longer heats"
    Then I am answered within 4 hours
    And the answer is from a person
    And I am given a reference number
    And my warranty claim is registered
