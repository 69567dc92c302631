@ordering @chat @nightly
Feature: Ordering through the chat
  A customer asks an agent in the web chat to sell them a named
  product with a shipping method, then finds the order on the web (proving it is
  theirs with its number and their e-mail) with the method they chose.

  Scenario Outline: Order a named product through the chat with <shipping> shipping
    Given I am a new customer
    When I order "Kettle Pro" through chat with <shipping> shipping
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
