CREATE TABLE `engagement_count` (
	`pin_id` integer NOT NULL,
	`action` text NOT NULL,
	`source` text NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`pin_id`, `action`, `source`, `day`),
	FOREIGN KEY (`pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `engagement_count_day_idx` ON `engagement_count` (`day`);--> statement-breakpoint
CREATE INDEX `engagement_count_source_idx` ON `engagement_count` (`source`);--> statement-breakpoint
-- Visitors' past events carry no address, only session keys a client could mint by the thousand:
-- they count as one source ('ip:legacy'), so a past flood does not carry over.
INSERT OR IGNORE INTO `engagement_count` (`pin_id`, `action`, `source`, `day`)
  SELECT `pin_id`, `action`, CASE WHEN `user_id` IS NOT NULL THEN 'u:' || `user_id` ELSE 'ip:legacy' END, `created_at` / 86400000 FROM `engagement`;
--> statement-breakpoint
CREATE TABLE `client_salt` (
	`day` integer PRIMARY KEY NOT NULL,
	`salt` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_job` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`state` text NOT NULL,
	`total` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`issues` text DEFAULT '[]' NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`board_ids` text DEFAULT '[]' NOT NULL,
	`default_board` text NOT NULL,
	`visibility` text NOT NULL,
	`records` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_job_user_idx` ON `import_job` (`user_id`,`state`);--> statement-breakpoint
CREATE TABLE `import_item` (
	`pin_id` integer PRIMARY KEY NOT NULL,
	`owner_id` integer NOT NULL,
	`record_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`job_id` text,
	FOREIGN KEY (`pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_item_owner_idx` ON `import_item` (`owner_id`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `import_item_job_idx` ON `import_item` (`job_id`);--> statement-breakpoint
CREATE INDEX `search_log_created_idx` ON `search_log` (`created_at`);
