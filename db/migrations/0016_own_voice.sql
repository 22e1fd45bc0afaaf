-- Issue 14: the person's own voice. Recordings of a card's word or cue, or of a Story Pin page
-- (page = the story page's position, -1 for the card), and the synthetic voice chosen per language.
CREATE TABLE `audio_clip` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` integer NOT NULL,
	`pin_id` integer NOT NULL,
	`page` integer DEFAULT -1 NOT NULL,
	`kind` text DEFAULT 'word' NOT NULL,
	`key` text NOT NULL,
	`mime` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audio_clip_slot_idx` ON `audio_clip` (`owner_id`,`pin_id`,`page`,`kind`);
--> statement-breakpoint
CREATE INDEX `audio_clip_pin_idx` ON `audio_clip` (`pin_id`);
--> statement-breakpoint
ALTER TABLE `user` ADD `speech_voices` text DEFAULT '{}' NOT NULL;
