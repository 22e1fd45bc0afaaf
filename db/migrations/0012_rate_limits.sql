-- Sign-in, sign-up (and later other) rate limits, shared by every worker and kept across restarts.
-- The shape is rate-limiter-flexible's RateLimiterSQLite table (app/services/http/rate-limit.server.ts).
CREATE TABLE IF NOT EXISTS `rate_limit` (
	`key` text PRIMARY KEY NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`expire` integer
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `rate_limit_expire` ON `rate_limit` (`expire`);
