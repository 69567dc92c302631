@enquiry @social @nightly
Feature: Asking about an order in a social DM
  The customer messages the company's account on a social network. After
  three exchanges a good company offers to move the conversation to the phone.

  Scenario: Ask where an order is through a social DM
    Given I am a new customer
    And I have ordered "Coffee Grinder" through the web with Next-day shipping
    When I ask where my order is through social
    Then my question is answered
    And I am offered to continue by phone
