CREATE TABLE `board_interest` (
	`board_id` integer NOT NULL,
	`interest_id` integer NOT NULL,
	`score` real NOT NULL,
	PRIMARY KEY(`board_id`, `interest_id`),
	FOREIGN KEY (`board_id`) REFERENCES `board`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interest_id`) REFERENCES `interest`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `board_interest_interest_idx` ON `board_interest` (`interest_id`,`score`);--> statement-breakpoint
CREATE TABLE `embedding_state` (
	`kind` text NOT NULL,
	`ref_id` integer NOT NULL,
	`content_hash` text NOT NULL,
	`embedded_text` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`kind`, `ref_id`)
);
--> statement-breakpoint
CREATE TABLE `interest` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`parent_slug` text,
	`depth` integer NOT NULL,
	`label_en` text NOT NULL,
	`label_es` text NOT NULL,
	`synonyms_en` text NOT NULL,
	`synonyms_es` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `interest_slug_unique` ON `interest` (`slug`);--> statement-breakpoint
CREATE TABLE `pin_interest` (
	`pin_id` integer NOT NULL,
	`interest_id` integer NOT NULL,
	`score` real NOT NULL,
	PRIMARY KEY(`pin_id`, `interest_id`),
	FOREIGN KEY (`pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interest_id`) REFERENCES `interest`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pin_interest_interest_idx` ON `pin_interest` (`interest_id`,`score`);--> statement-breakpoint
CREATE TABLE `search_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`query` text NOT NULL,
	`normalized` text NOT NULL,
	`lang` text NOT NULL,
	`result_count` integer NOT NULL,
	`session_key` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_log_session_idx` ON `search_log` (`session_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `search_log_norm_idx` ON `search_log` (`normalized`);