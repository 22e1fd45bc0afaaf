-- The finer cut of the PinnerSage dendrogram (issue 5, docs/decisions/0008): medoids that rank the
-- cards retrieved from the interests in user_cluster. Replaced together with user_cluster.
CREATE TABLE `user_ranking_cluster` (
	`user_id` integer NOT NULL,
	`position` integer NOT NULL,
	`medoid_pin_id` integer NOT NULL,
	`importance` real NOT NULL,
	`size` integer NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `position`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`medoid_pin_id`) REFERENCES `pin`(`id`) ON UPDATE no action ON DELETE cascade
);
