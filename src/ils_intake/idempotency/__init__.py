"""`Idempotency-Key` on the intake: claim before processing, replay what the first answer was."""
