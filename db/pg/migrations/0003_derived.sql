ALTER TABLE "review" DROP CONSTRAINT "review_learner_id_pin_id_pk";
--> statement-breakpoint
ALTER TABLE "review" ADD COLUMN "mode" text DEFAULT 'naming' NOT NULL;
--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_learner_id_pin_id_mode_pk" PRIMARY KEY("learner_id","pin_id","mode");
--> statement-breakpoint
ALTER TABLE "pin" ADD COLUMN "cue_sentence" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "pin" ADD COLUMN "first_sound" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "pin" ADD COLUMN "features" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "review_log" ADD COLUMN "mode" text DEFAULT 'naming' NOT NULL;
--> statement-breakpoint
ALTER TABLE "review_log" ADD COLUMN "outcome" text;
--> statement-breakpoint
ALTER TABLE "review_log" ADD COLUMN "cue_level" integer;
