@ordering @social @nightly
Feature: Ordering through a social DM
  A customer asks the company's account in a direct message to sell them a named
  product with a shipping method, then finds the order on the web (proving it is
  theirs with its number and their e-mail) with the method they chose.

  Scenario Outline: Order a named product through a social DM with <shipping> shipping
    Given I am a new customer
    When I order "Coffee Grinder" through social with <shipping> shipping
    Then I am given an order number
    And my order exists with <shipping> shipping
    And I am transferred at most once
    And I am never asked for my email address twice

    Examples:
      | shipping     |
      | Standard     |
      | Express      |
      | Next-day     |
      | Store pickup |
