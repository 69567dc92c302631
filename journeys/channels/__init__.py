"""One driver per channel; each turns what a customer sees into timeline events."""
