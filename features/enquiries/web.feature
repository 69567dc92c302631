@enquiry @web @nightly
Feature: Asking about an order on the web
  The customer ordered in the chat and looks the order up on the shop's site
  later, in another browser: the shop asks them to prove it is theirs (the order
  number and their e-mail) before it shows the status.

  Scenario: Look up a chat order's status on the web
    Given I am a new customer
    And I have ordered "Kettle Pro" through chat with Standard shipping
    When I ask where my order is through the web
    Then my question is answered
    And my order exists with Standard shipping
