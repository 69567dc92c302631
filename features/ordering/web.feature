@ordering @web @nightly
Feature: Ordering through the web shop
  A customer orders a named product on the web, with each shipping method the
  shop offers, and then finds the order with the method they chose.

  @smoke
  Scenario Outline: Order a named product with <shipping> shipping
    Given I am a new customer
    When I order "Blender 3000" through the web with <shipping> shipping
    Then I am given an order number
    And my order exists with <shipping> shipping

    Examples:
      | shipping     |
      | Standard     |
      | Express      |
      | Next-day     |
      | Store pickup |
