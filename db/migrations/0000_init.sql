CREATE TABLE `board_pin` (
	`board_id` integer NOT NULL,
	`pin_id` integer NOT NULL,
	`position` integer NOT NULL,
	`saved_by` integer NOT NULL,
	`saved_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`board_id`, `pin_id`),
	FOREIGN KEY (`board_id`) REFERENCES `board`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`saved_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `board_pin_pin_idx` ON `board_pin` (`pin_id`);--> statement-breakpoint
CREATE TABLE `board` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` integer NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`lang` text NOT NULL,
	`visibility` text DEFAULT 'public' NOT NULL,
	`kind` text DEFAULT 'board' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `board_owner_idx` ON `board` (`owner_id`);--> statement-breakpoint
CREATE INDEX `board_visibility_idx` ON `board` (`visibility`,`created_at`);--> statement-breakpoint
CREATE TABLE `image` (
	`key` text PRIMARY KEY NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pin` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`creator_id` integer NOT NULL,
	`kind` text DEFAULT 'flashcard' NOT NULL,
	`title` text NOT NULL,
	`cue` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`lang` text NOT NULL,
	`image_key` text NOT NULL,
	`image_width` integer NOT NULL,
	`image_height` integer NOT NULL,
	`alt` text NOT NULL,
	`source` text DEFAULT 'upload' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`creator_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pin_creator_idx` ON `pin` (`creator_id`);--> statement-breakpoint
CREATE TABLE `session` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_user_idx` ON `session` (`user_id`);--> statement-breakpoint
CREATE TABLE `user` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`display_name` text NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`roles` text DEFAULT '[]' NOT NULL,
	`text_size` integer DEFAULT 100 NOT NULL,
	`high_contrast` integer DEFAULT false NOT NULL,
	`reduced_motion` integer DEFAULT false NOT NULL,
	`speech_rate` real DEFAULT 0.9 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_email_unique` ON `user` (`email`);