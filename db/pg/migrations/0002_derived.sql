ALTER TABLE "history_deletion" ALTER COLUMN "at" SET DATA TYPE bigint;
--> statement-breakpoint
ALTER TABLE "job_lease" ALTER COLUMN "until" SET DATA TYPE bigint;
