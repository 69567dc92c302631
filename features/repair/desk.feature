@repair @desk @nightly
Feature: Booking a repair through the support desk
  A returning customer fills in the support desk's form (a topic, the order and
  serial numbers, the fault) and follows the ticket page until someone answers.
  The ticket's number counts as a reference; the repair must exist on the
  repair tracking page.

  Scenario: Book a repair of a stand mixer through the support desk
    Given I am a returning customer who bought "Stand Mixer" 600 days ago
    When I ask for a repair through the support desk because "the bowl no longer turns"
    Then I am given a reference number
    And I am answered within 4 hours
    And the answer is from a person
    And my repair is booked
