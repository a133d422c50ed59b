"""The intake log: every authenticated submission with its outcome, for review and replay."""
