"""The phone as a customer uses it: a real call over SIP and RTP, the company heard through
offline speech recognition, the customer's answers spoken by a synthetic voice and menu
choices pressed as DTMF."""
