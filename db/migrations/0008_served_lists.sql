CREATE TABLE `served_item` (
	`request_id` text NOT NULL,
	`position` integer NOT NULL,
	`pin_id` integer NOT NULL,
	`score` real NOT NULL,
	`features` text NOT NULL,
	`propensity` real,
	PRIMARY KEY(`request_id`, `position`),
	FOREIGN KEY (`request_id`) REFERENCES `served_list`(`request_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `served_item_pin_idx` ON `served_item` (`pin_id`);--> statement-breakpoint
CREATE TABLE `served_list` (
	`request_id` text PRIMARY KEY NOT NULL,
	`surface` text NOT NULL,
	`user_id` integer,
	`session_key` text NOT NULL,
	`query` text,
	`ranker` text NOT NULL,
	`feature_set` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `served_list_created_idx` ON `served_list` (`created_at`);--> statement-breakpoint
ALTER TABLE `engagement` ADD `request_id` text;--> statement-breakpoint
CREATE INDEX `engagement_request_idx` ON `engagement` (`request_id`,`pin_id`);