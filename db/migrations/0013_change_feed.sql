-- Issue 13, item 2: the change feed that keeps each worker's in-memory structures (the card vector
-- index, the Pixie graph) in step with writes made by other workers, and leases for background jobs.
-- Filled by triggers so that no code path can forget it (docs/decisions/0020-workers-and-change-feed.md).
CREATE TABLE IF NOT EXISTS `change_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`topic` text NOT NULL,
	`row_id` integer NOT NULL,
	`op` text NOT NULL,
	`at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `change_log_at` ON `change_log` (`at`);
--> statement-breakpoint
-- pin_vec is a vec0 virtual table and its shadow tables refuse triggers, so the card vector follows
-- embedding_state (kind 'pin'), written in the same transaction as every pin_vec write (indexing).
CREATE TRIGGER IF NOT EXISTS `change_pin_vec_insert` AFTER INSERT ON `embedding_state` WHEN NEW.`kind` = 'pin' BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('pin_vec', NEW.`ref_id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_pin_vec_update` AFTER UPDATE ON `embedding_state` WHEN NEW.`kind` = 'pin' BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('pin_vec', NEW.`ref_id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_pin_vec_delete` AFTER DELETE ON `embedding_state` WHEN OLD.`kind` = 'pin' BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('pin_vec', OLD.`ref_id`, 'delete');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_pin_delete` AFTER DELETE ON `pin` BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('pin_vec', OLD.`id`, 'delete');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_board_pin_insert` AFTER INSERT ON `board_pin` BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('graph', NEW.`board_id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_board_pin_update` AFTER UPDATE ON `board_pin` BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('graph', NEW.`board_id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_board_pin_delete` AFTER DELETE ON `board_pin` BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('graph', OLD.`board_id`, 'delete');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_board_insert` AFTER INSERT ON `board` BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('graph', NEW.`id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_board_visibility` AFTER UPDATE OF `visibility` ON `board` WHEN NEW.`visibility` IS NOT OLD.`visibility` BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('graph', NEW.`id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `change_board_delete` AFTER DELETE ON `board` BEGIN
	INSERT INTO `change_log` (`topic`, `row_id`, `op`) VALUES ('graph', OLD.`id`, 'delete');
END;
--> statement-breakpoint
-- A named lease: the one process whose owner id is here until `until` (ms) runs that job.
CREATE TABLE IF NOT EXISTS `job_lease` (
	`name` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
-- When a person last deleted their history: shared by the workers, so that events and logged lists
-- still on their way (another worker's queue, a page left open) are not written after it.
CREATE TABLE IF NOT EXISTS `history_deletion` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
