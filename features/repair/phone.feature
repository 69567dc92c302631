@repair @phone @nightly
Feature: Booking a repair by phone
  A returning customer calls to have something they bought repaired, inside or
  outside its warranty. The repair reference given must exist on the company's
  repair tracking page, for the day the engineer was promised.

  Scenario Outline: Book a repair of a <product> bought <days> days ago by phone
    Given I am a returning customer who bought "<product>" <days> days ago
    When I call about a repair because "<fault>"
    Then my repair is booked
    And I am given a reference number
    And I am told when it will happen
    And I am transferred at most once
    And I hold for less than 2 minutes in total

    Examples:
      | product         | days | fault                       |
      | Robot Vacuum R2 | 100  | it no longer finds its dock |
      | Stand Mixer     | 600  | the bowl wobbles and grinds |
