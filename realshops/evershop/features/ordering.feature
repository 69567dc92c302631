@ordering @web @nightly
Feature: Ordering at Harbor Lane Goods, with each of its shipping methods
  A guest finds a product, checks out on one page and pays on delivery. The order
  must come with a number, and its page must show the shipping method chosen.

  Scenario Outline: Order "<product>" with <shipping> shipping
    Given I am a new customer
    When I order "<product>" through the web with <shipping> shipping
    Then I am given an order number
    And my order exists with <shipping> shipping

    Examples:
      | product           | shipping |
      | Enamel Camp Mug   | Standard |
      | Cast Iron Skillet | Express  |
