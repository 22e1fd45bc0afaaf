-- Issue 14: undo of the last answer. Each log line keeps the card's whole FSRS state before the answer
-- (JSON; {"card":null} when the card was never practised in that mode), so undoing restores it exactly.
-- Null on older lines: those cannot be undone.
ALTER TABLE `review_log` ADD `previous` text;
