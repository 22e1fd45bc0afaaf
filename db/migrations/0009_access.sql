ALTER TABLE `board` ADD `share_token` text;--> statement-breakpoint
UPDATE `board` SET `share_token` = lower(hex(randomblob(16))) WHERE `share_token` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `board_share_token_idx` ON `board` (`share_token`);--> statement-breakpoint
CREATE TRIGGER `board_share_token_default` AFTER INSERT ON `board` FOR EACH ROW WHEN NEW.`share_token` IS NULL
BEGIN
  UPDATE `board` SET `share_token` = lower(hex(randomblob(16))) WHERE `id` = NEW.`id`;
END;
