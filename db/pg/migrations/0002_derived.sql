CREATE TABLE "history_deletion" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL
);

--> statement-breakpoint
CREATE TABLE "job_lease" (
	"name" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"until" bigint NOT NULL
);

--> statement-breakpoint
ALTER TABLE "history_deletion" ADD CONSTRAINT "history_deletion_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;
