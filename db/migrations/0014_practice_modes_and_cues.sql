-- Issue 14: naming practice with a cueing hierarchy and several practice modes. Cards carry their
-- naming cues and semantic-feature answers; every review records its mode, clinical outcome and the
-- cue level reached; FSRS state is kept per mode (the review table's key gains `mode`, so it is rebuilt).
ALTER TABLE `pin` ADD `cue_sentence` text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE `pin` ADD `first_sound` text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE `pin` ADD `features` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE `review_log` ADD `mode` text DEFAULT 'naming' NOT NULL;
--> statement-breakpoint
ALTER TABLE `review_log` ADD `outcome` text;
--> statement-breakpoint
ALTER TABLE `review_log` ADD `cue_level` integer;
--> statement-breakpoint
CREATE TABLE `__new_review` (
	`learner_id` integer NOT NULL,
	`pin_id` integer NOT NULL,
	`mode` text DEFAULT 'naming' NOT NULL,
	`due` integer NOT NULL,
	`stability` real NOT NULL,
	`difficulty` real NOT NULL,
	`elapsed_days` integer NOT NULL,
	`scheduled_days` integer NOT NULL,
	`learning_steps` integer DEFAULT 0 NOT NULL,
	`reps` integer NOT NULL,
	`lapses` integer NOT NULL,
	`state` integer NOT NULL,
	`last_review` integer,
	PRIMARY KEY(`learner_id`, `pin_id`, `mode`),
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_review` (`learner_id`, `pin_id`, `mode`, `due`, `stability`, `difficulty`, `elapsed_days`, `scheduled_days`, `learning_steps`, `reps`, `lapses`, `state`, `last_review`)
  SELECT `learner_id`, `pin_id`, 'naming', `due`, `stability`, `difficulty`, `elapsed_days`, `scheduled_days`, `learning_steps`, `reps`, `lapses`, `state`, `last_review` FROM `review`;
--> statement-breakpoint
DROP TABLE `review`;
--> statement-breakpoint
ALTER TABLE `__new_review` RENAME TO `review`;
--> statement-breakpoint
CREATE INDEX `review_due_idx` ON `review` (`learner_id`,`due`);
