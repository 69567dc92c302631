@returns @email @nightly
Feature: Returning an item by e-mail
  The customer writes through the contact form and waits for replies in their
  inbox, answering what they are asked.

  Scenario: Ask for a return by e-mail
    Given I am a new customer
    And I have ordered "Air Fryer XL" through the web with Standard shipping
    When I ask to return it through email
    Then I am given a reference number
    And my return is registered
    And the company follows up by its promise
