@repair @chat @nightly
Feature: Booking a repair by chat
  A returning customer asks in the chat for an engineer, inside or outside the
  warranty. The repair reference given must exist on the repair tracking page.

  Scenario Outline: Book a repair of a <product> bought <days> days ago by chat
    Given I am a returning customer who bought "<product>" <days> days ago
    When I ask for a repair through chat because "<fault>"
    Then my repair is booked
    And I am given a reference number
    And I am told when it will happen
    And I am never asked for my postcode twice

    Examples:
      | product      | days | fault                     |
      | Blender 3000 | 800  | the blade no longer turns |
      | Toaster Duo  | 450  | one side stays cold       |
